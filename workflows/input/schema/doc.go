// Package schema describes Cairn's workflow inputs as a JSON Schema
// (draft 2020-12), generated from their Go types as package input walks
// them, with the Go doc comments of the types and fields as descriptions.
package schema
