package activities

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/cairn-backup/cairn/activities/hooks"
)

// podItemFor resolves a pod's hooks and dump; nil when it has none.
func podItemFor(pod *corev1.Pod, spec *hooks.BackupHooks) *PodItem {
	it := &PodItem{Namespace: pod.Namespace, Pod: pod.Name, Pre: hooks.ForBackup(pod, spec, hooks.PhasePre),
		Post: hooks.ForBackup(pod, spec, hooks.PhasePost), Dump: hooks.ForDump(pod)}
	if len(it.Pre)+len(it.Post) == 0 && it.Dump == nil {
		return nil
	}
	return it
}

// blockBuilder groups pods into item blocks: pods that mount the same
// claim end in one block (a union-find over "ns/pod" keys).
type blockBuilder struct {
	items  map[string]*PodItem
	parent map[string]string
	claims map[string]string // claim -> first pod that mounts it
}

func newBlockBuilder() *blockBuilder {
	return &blockBuilder{items: map[string]*PodItem{}, parent: map[string]string{}, claims: map[string]string{}}
}

func (b *blockBuilder) addPod(it *PodItem) {
	if it != nil {
		b.items[it.Namespace+"/"+it.Pod] = it
	}
}

// share records that pod mounts claim, joining its block with the
// block of the claim's other pods.
func (b *blockBuilder) share(claim, pod string) {
	first, seen := b.claims[claim]
	if !seen {
		b.claims[claim] = pod
		return
	}
	b.parent[b.root(pod)] = b.root(first)
}

func (b *blockBuilder) root(pod string) string {
	for {
		p, ok := b.parent[pod]
		if !ok || p == pod {
			return pod
		}
		pod = p
	}
}

// build returns the blocks of the volumes and hooked pods, in the order
// of their first pod's key.
func (b *blockBuilder) build(vols []PodVolume) []ItemBlock {
	byRoot := map[string]*ItemBlock{}
	block := func(pod string) *ItemBlock {
		r := b.root(pod)
		if byRoot[r] == nil {
			byRoot[r] = &ItemBlock{}
		}
		return byRoot[r]
	}
	for _, key := range sortedKeys(b.items) {
		blk := block(key)
		blk.Pods = append(blk.Pods, *b.items[key])
	}
	for _, v := range vols {
		blk := block(v.Namespace + "/" + v.Pod)
		blk.Volumes = append(blk.Volumes, v)
	}
	out := make([]ItemBlock, 0, len(byRoot))
	for _, blk := range byRoot {
		out = append(out, *blk)
	}
	slices.SortFunc(out, func(x, y ItemBlock) int { return strings.Compare(blockKey(x), blockKey(y)) })
	return out
}

// blockKey orders blocks by their first pod or volume.
func blockKey(b ItemBlock) string {
	if len(b.Pods) > 0 {
		return b.Pods[0].Namespace + "/" + b.Pods[0].Pod
	}
	return b.Volumes[0].Namespace + "/" + b.Volumes[0].Pod
}
