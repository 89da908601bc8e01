//go:build !unix

package main

// oraclePersonality: the oracle compares with /bin/sh, so it runs on Unix only.
func oraclePersonality() (int, bool) { return 0, false }
