package envfile_test

import (
	"fmt"

	"github.com/nrunjs/nrun/internal/envfile"
)

func ExampleParse() {
	kvs, err := envfile.Parse([]byte(`# database
export HOST=db.local   # inline comment
PASSWORD="p#ss word"
GREETING="hello\nworld"
RAW='hello\nworld'
CERT="-----BEGIN-----
abc
-----END-----"
HOST=db.internal
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, kv := range kvs {
		fmt.Printf("line %d: %s=%q\n", kv.Line, kv.Key, kv.Value)
	}
	// Output:
	// line 2: HOST="db.local"
	// line 3: PASSWORD="p#ss word"
	// line 4: GREETING="hello\nworld"
	// line 5: RAW="hello\\nworld"
	// line 6: CERT="-----BEGIN-----\nabc\n-----END-----"
	// line 9: HOST="db.internal"
}

func ExampleApply() {
	loaded := []envfile.Loaded{
		{Vars: []envfile.KV{{Key: "PORT", Value: "3000"}, {Key: "HOST", Value: "localhost"}}}, // .env
		{Vars: []envfile.KV{{Key: "PORT", Value: "4000"}}},                                    // .env.local
	}
	environ := []string{"HOST=example.org"}
	fmt.Println(envfile.Apply(environ, envfile.Merge(loaded)))
	// Output: [HOST=example.org PORT=4000]
}
