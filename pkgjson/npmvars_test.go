package pkgjson

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// fieldsOf returns a Package.Field for a package.json text: the raw value
// of the last occurrence of each top-level key, as pkgjson gives it.
func fieldsOf(t testing.TB, text string) func(string) (string, bool) {
	t.Helper()
	if !gjson.Valid(text) {
		t.Fatalf("invalid JSON in test case: %s", text)
	}
	m := map[string]string{}
	gjson.Parse(text).ForEach(func(k, v gjson.Result) bool {
		m[k.String()] = v.Raw
		return true
	})
	return func(key string) (string, bool) {
		raw, ok := m[key]
		return raw, ok
	}
}

// varsMap applies NAME=value entries in order, later entries winning, as
// NpmEnv applies PackageVars' result.
func varsMap(vars []string) map[string]string {
	m := map[string]string{}
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func checkVars(t *testing.T, got []string, want []string) {
	t.Helper()
	g, w := varsMap(got), varsMap(want)
	for _, k := range slices.Sorted(maps.Keys(w)) {
		if v, ok := g[k]; !ok {
			t.Errorf("missing %q (want %q)", k, w[k])
		} else if v != w[k] {
			t.Errorf("%s = %q, want %q", k, v, w[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(g)) {
		if _, ok := w[k]; !ok {
			t.Errorf("unexpected %s=%q", k, g[k])
		}
	}
}

// TestPackageVars checks the flattening against what npm 11 sets. Every
// expected list was produced by npm's own code (@npmcli/package-json
// normalize() and @npmcli/run-script's package-envs.js) for the same
// package.json text, with lone surrogates written as U+FFFD as Node writes
// them into an environment.
func TestPackageVars(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       []string
	}{
		{"name and version", `{"name":"@scope/pkg","version":"1.2.3-beta.1"}`, []string{`npm_package_name=@scope/pkg`, `npm_package_version=1.2.3-beta.1`}},
		{"empty name and version are set", `{"name":"","version":""}`, []string{`npm_package_name=`, `npm_package_version=`}},
		{"number name and version", `{"name":5,"version":1.0}`, []string{`npm_package_name=5`, `npm_package_version=1`}},
		{"boolean and null name and version", `{"name":true,"version":null}`, []string{`npm_package_name=true`, `npm_package_version=`}},
		{"false name", `{"name":false,"version":"1"}`, []string{`npm_package_name=`, `npm_package_version=1`}},
		{"object name is flattened", `{"name":{"a":1,"b":[2]}}`, []string{`npm_package_name_a=1`, `npm_package_name_b_0=2`}},
		{"no name no version", `{"description":"x"}`, []string{}},
		{"config scalars", `{"config":{"s":"str","t":true,"f":false,"n":null,"i":8080,"e":""}}`, []string{`npm_package_config_e=`, `npm_package_config_f=`, `npm_package_config_i=8080`, `npm_package_config_n=`, `npm_package_config_s=str`, `npm_package_config_t=true`}},
		{"config numbers as JavaScript prints them", `{"config":{"a":1.50,"b":1e21,"c":1e20,"d":1e-7,"e":0.000001,"f":-0,"g":12345678901234567890,"h":1e400,"i":-1e400,"j":1e-400,"k":-2.5E-3,"l":100E-2,"m":123e-20,"n":1.5e300,"o":0.1,"p":-7}}`, []string{`npm_package_config_a=1.5`, `npm_package_config_b=1e+21`, `npm_package_config_c=100000000000000000000`, `npm_package_config_d=1e-7`, `npm_package_config_e=0.000001`, `npm_package_config_f=0`, `npm_package_config_g=12345678901234567000`, `npm_package_config_h=Infinity`, `npm_package_config_i=-Infinity`, `npm_package_config_j=0`, `npm_package_config_k=-0.0025`, `npm_package_config_l=1`, `npm_package_config_m=1.23e-18`, `npm_package_config_n=1.5e+300`, `npm_package_config_o=0.1`, `npm_package_config_p=-7`}},
		{"config nested objects", `{"config":{"a":{"b":{"c":"deep"}},"x":{"y":1}}}`, []string{`npm_package_config_a_b_c=deep`, `npm_package_config_x_y=1`}},
		{"config arrays", `{"config":{"arr":[1,[2,3],{"x":"y"},[],{},null,false,true,"s"]}}`, []string{`npm_package_config_arr_0=1`, `npm_package_config_arr_1_0=2`, `npm_package_config_arr_1_1=3`, `npm_package_config_arr_2_x=y`, `npm_package_config_arr_5=`, `npm_package_config_arr_6=`, `npm_package_config_arr_7=true`, `npm_package_config_arr_8=s`}},
		{"config empty containers set nothing", `{"config":{"ea":[],"eo":{},"nested":{"ea":[],"eo":{}}}}`, []string{}},
		{"config collision later wins (object after)", `{"config":{"a_b":"first","a":{"b":"second"}}}`, []string{`npm_package_config_a_b=second`}},
		{"config collision later wins (flat after)", `{"config":{"a":{"b":"first"},"a_b":"second"}}`, []string{`npm_package_config_a_b=second`}},
		{"config collision with an array", `{"config":{"b_1":"y","b":["x","z"]}}`, []string{`npm_package_config_b_0=x`, `npm_package_config_b_1=z`}},
		{"config index keys come first", `{"config":{"b":{"1":"x"},"1":"one","b_1":"y"}}`, []string{`npm_package_config_1=one`, `npm_package_config_b_1=y`}},
		{"config index keys decide collisions", `{"config":{"b_2":"z","b":{"2":"x"},"10":"a","2":"b"}}`, []string{`npm_package_config_10=a`, `npm_package_config_2=b`, `npm_package_config_b_2=x`}},
		{"config non-index numeric keys keep their place", `{"config":{"01":"a","b_01":"p","b":{"01":"q"},"4294967295":"big","-1":"neg"}}`, []string{`npm_package_config_-1=neg`, `npm_package_config_01=a`, `npm_package_config_4294967295=big`, `npm_package_config_b_01=q`}},
		{"config duplicate key last value first position", `{"config":{"x_y":"a","x":{"y":"b"},"x_y":"c"}}`, []string{`npm_package_config_x_y=b`}},
		{"config keys verbatim", `{"config":{"my-key":"dash","a.b c":"dot space","UPPER":"u","uni\u00e9":"é","__proto__":{"a":1},"constructor":"c"}}`, []string{`npm_package_config_UPPER=u`, `npm_package_config___proto___a=1`, `npm_package_config_a.b c=dot space`, `npm_package_config_constructor=c`, `npm_package_config_my-key=dash`, `npm_package_config_unié=é`}},
		{"config string escapes", `{"config":{"nl":"line\nnext","tab":"a\tb","q":"\"q\"","bs":"a\\b","u":"\u00e9\u20ac","pair":"\ud83d\ude00","lone":"\ud800x","lone2":"\ud800\u0041","lowfirst":"\udc00\ud800","slash":"\/"}}`, []string{`npm_package_config_bs=a\b`, `npm_package_config_lone=�x`, `npm_package_config_lone2=�A`, `npm_package_config_lowfirst=��`, "npm_package_config_nl=line\nnext", "npm_package_config_pair=😀", `npm_package_config_q="q"`, `npm_package_config_slash=/`, "npm_package_config_tab=a\tb", `npm_package_config_u=é€`}},
		{"config a string", `{"config":"str"}`, []string{`npm_package_config=str`}},
		{"config an array", `{"config":["a",["b"]]}`, []string{`npm_package_config_0=a`, `npm_package_config_1_0=b`}},
		{"config false", `{"config":false}`, []string{`npm_package_config=`}},
		{"config null", `{"config":null}`, []string{`npm_package_config=`}},
		{"config true", `{"config":true}`, []string{`npm_package_config=true`}},
		{"engines object", `{"engines":{"node":">=18","npm":"^10 || ^11"}}`, []string{`npm_package_engines_node=>=18`, `npm_package_engines_npm=^10 || ^11`}},
		{"engines array", `{"engines":["node >= 18"]}`, []string{`npm_package_engines_0=node >= 18`}},
		{"engines null", `{"engines":null}`, []string{`npm_package_engines=`}},
		{"bin object normalised", `{"bin":{"my-cli":"./bin/cli.js","other":"bin//other.js","sub/dir/x":"./a/../b/x.js","win":"bin\\win.js","colon":"C:\\x\\y.js","up":"../../../etc/passwd","trail":"bin/","dots":"a/./b/../c","unc":"\\\\server\\share\\x","hidden":"bin/.x"}}`, []string{`npm_package_bin_colon=C/x/y.js`, `npm_package_bin_dots=a/c`, `npm_package_bin_hidden=bin/.x`, `npm_package_bin_my-cli=bin/cli.js`, `npm_package_bin_other=bin/other.js`, `npm_package_bin_trail=bin/`, `npm_package_bin_unc=server/share/x`, `npm_package_bin_up=etc/passwd`, `npm_package_bin_win=bin/win.js`, `npm_package_bin_x=b/x.js`}},
		{"bin object drops bad entries", `{"bin":{"bad":5,"nul":null,"obj":{},"dot":".","dotdot":"..","slash":"/","empty":"","up":"x/..","":"t","/":"u","..":"v"}}`, []string{}},
		{"bin object keys become base names", `{"bin":{"a\\b":"w","c:d":"z","dir/":"d","x/.":"e"}}`, []string{`npm_package_bin_b=w`, `npm_package_bin_d=z`, `npm_package_bin_dir=d`, `npm_package_bin_x=e`}},
		{"bin object keys colliding", `{"bin":{"a/x":"t","b/x":"u"}}`, []string{`npm_package_bin_x=u`}},
		{"bin object key colliding with a bad entry", `{"bin":{"x":5,"a/x":"t"}}`, []string{`npm_package_bin_x=t`}},
		{"bin object key colliding the other way", `{"bin":{"a/x":"t","x":"one"}}`, []string{`npm_package_bin_x=t`}},
		{"bin object index keys", `{"bin":{"a/1":"p","1":"q"}}`, []string{`npm_package_bin_1=p`}},
		{"bin object __proto__", `{"bin":{"__proto__":"./x","a/__proto__":"y","b":"./b"}}`, []string{`npm_package_bin___proto__=y`, `npm_package_bin_b=b`}},
		{"bin string keyed by the name", `{"name":"tool","bin":"./bin/tool.js"}`, []string{`npm_package_bin_tool=bin/tool.js`, `npm_package_name=tool`}},
		{"bin string keyed by the name without scope", `{"name":"@scope/tool","bin":"./cli.js"}`, []string{`npm_package_bin_tool=cli.js`, `npm_package_name=@scope/tool`}},
		{"bin string without a name", `{"bin":"./cli.js"}`, []string{}},
		{"bin string with an empty name", `{"name":"","bin":"./cli.js"}`, []string{`npm_package_name=`}},
		{"bin string with a number name", `{"name":5,"bin":"x"}`, []string{`npm_package_bin_5=x`, `npm_package_name=5`}},
		{"bin string with an object name", `{"name":{"a":1},"bin":"x"}`, []string{`npm_package_bin_[object Object]=x`, `npm_package_name_a=1`}},
		{"bin string with an array name", `{"name":["a",null,["b","c"]],"bin":"x"}`, []string{`npm_package_bin_a,,b,c=x`, `npm_package_name_0=a`, `npm_package_name_1=`, `npm_package_name_2_0=b`, `npm_package_name_2_1=c`}},
		{"bin string with a __proto__ name", `{"name":"__proto__","bin":"./x"}`, []string{`npm_package_bin___proto__=x`, `npm_package_name=__proto__`}},
		{"bin string cleaned to nothing", `{"name":"p","bin":".."}`, []string{`npm_package_name=p`}},
		{"bin array", `{"name":"p","bin":["./a/x.js","b.js","c/","a\\w.js"]}`, []string{`npm_package_bin_b.js=b.js`, `npm_package_bin_c=c/`, `npm_package_bin_w.js=a/w.js`, `npm_package_bin_x.js=a/x.js`, `npm_package_name=p`}},
		{"bin array colliding", `{"bin":["a/x","b/x"]}`, []string{`npm_package_bin_x=b/x`}},
		{"bin empty string", `{"name":"p","bin":""}`, []string{`npm_package_name=p`}},
		{"bin false", `{"name":"p","bin":false}`, []string{`npm_package_name=p`}},
		{"bin null", `{"name":"p","bin":null}`, []string{`npm_package_name=p`}},
		{"bin zero", `{"name":"p","bin":0}`, []string{`npm_package_name=p`}},
		{"bin true", `{"name":"p","bin":true}`, []string{`npm_package_name=p`}},
		{"bin number", `{"name":"p","bin":5}`, []string{`npm_package_name=p`}},
		{"bin empty object", `{"name":"p","bin":{}}`, []string{`npm_package_name=p`}},
		{"bin empty array", `{"name":"p","bin":[]}`, []string{`npm_package_name=p`}},
		{"bin and directories.bin: bin wins", `{"bin":{"q":"r"},"directories":{"bin":"bin"}}`, []string{`npm_package_bin_q=r`}},
		{"directories.bin missing directory", `{"directories":{"bin":"nonexistent"}}`, []string{}},
		{"directories not an object", `{"directories":"bin"}`, []string{}},
		{"duplicate top-level field last wins", `{"name":"first","config":{"a":1},"name":"second","config":{"b":2}}`, []string{`npm_package_config_b=2`, `npm_package_name=second`}},
		{"all five together", `{"name":"@s/p","version":"0.0.0-x","config":{"port":1},"engines":{"node":"20"},"bin":{"p":"p.js"},"scripts":{"x":"y"},"description":"d"}`, []string{`npm_package_bin_p=p.js`, `npm_package_config_port=1`, `npm_package_engines_node=20`, `npm_package_name=@s/p`, `npm_package_version=0.0.0-x`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir() // for directories.bin
			got := packageVars(fieldSource{Dir: dir, Field: fieldsOf(t, tc.json)})
			checkVars(t, got, tc.want)
		})
	}
}

// TestPackageVarsInvalidUTF8: bytes that are not UTF-8 become U+FFFD, one
// per maximal ill-formed sequence, as Node's decoder makes them (checked
// with npm 11: {"config":{"k\xfe":"a\xffb\xe2\x82","t":"\xf0\x9f\x98"}}).
func TestPackageVarsInvalidUTF8(t *testing.T) {
	text := "{\"config\":{\"k\xfe\":\"a\xffb\xe2\x82\",\"t\":\"\xf0\x9f\x98\"}}"
	got := packageVars(fieldSource{Field: fieldsOf(t, text)})
	checkVars(t, got, []string{"npm_package_config_k\uFFFD=a\uFFFDb\uFFFD", "npm_package_config_t=\uFFFD"})
}

// TestPackageVarsUnrepresentable: where npm would pass an entry the OS reads
// under another name (a key with "="; npm 11 then passes both
// npm_package_config_a=b=c and npm_package_config_a=x) or fail to start the
// script at all (a NUL byte), nrun leaves that one variable out.
func TestPackageVarsUnrepresentable(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       []string
	}{
		{"key with =", `{"config":{"a=b":"c","a":"x"}}`, []string{"npm_package_config_a=x"}},
		{"nested key with =", `{"config":{"o":{"k=v":1,"k":2}}}`, []string{"npm_package_config_o_k=2"}},
		{"NUL in a value", `{"config":{"n":"x\u0000y","ok":"1"}}`, []string{"npm_package_config_ok=1"}},
		{"NUL in a key", `{"config":{"n\u0000":"x","ok":"1"}}`, []string{"npm_package_config_ok=1"}},
		{"NUL in the name", `{"name":"a\u0000b","version":"1"}`, []string{"npm_package_version=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkVars(t, packageVars(fieldSource{Field: fieldsOf(t, tc.json)}), tc.want)
		})
	}
}

// TestPackageVarsBinArrayNonString: npm throws on a non-string element of a
// "bin" array (and runs nothing); nrun skips the element.
func TestPackageVarsBinArrayNonString(t *testing.T) {
	got := packageVars(fieldSource{Field: fieldsOf(t, `{"bin":["a.js",5,null,{"x":1},"b/c.js"]}`)})
	checkVars(t, got, []string{"npm_package_bin_a.js=a.js", "npm_package_bin_c.js=b/c.js"})
}

// TestPackageVarsNoFields: without a Field function there is nothing to flatten.
func TestPackageVarsNoFields(t *testing.T) {
	if got := packageVars(fieldSource{Dir: t.TempDir()}); len(got) != 0 {
		t.Errorf("got %q", got)
	}
}

// TestPackageVarsDirectoriesBin: with "directories.bin" and no "bin", npm
// globs the directory. The expected values are npm 11's for the same tree
// (note the "//" npm writes after a directory given with a trailing slash).
func TestPackageVarsDirectoriesBin(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"bin/a.js", "bin/sub/b", "bin/sub/deeper/c", "bin/.dot", "bin/.hidden/h", "outside/inside"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	// glob's "**" lists a symlinked directory but does not descend into it.
	link := os.Symlink(filepath.Join(dir, "outside"), filepath.Join(dir, "bin", "link")) == nil
	for _, tc := range []struct {
		name, json string
		want       []string
	}{
		{"plain", `{"directories":{"bin":"bin"}}`, []string{
			"npm_package_bin_a.js=bin/a.js", "npm_package_bin_sub=bin/sub", "npm_package_bin_deeper=bin/sub/deeper",
			"npm_package_bin_b=bin/sub/b", "npm_package_bin_c=bin/sub/deeper/c", "npm_package_bin_link=bin/link",
		}},
		{"trailing slash", `{"directories":{"bin":"./bin/"}}`, []string{
			"npm_package_bin_a.js=bin//a.js", "npm_package_bin_sub=bin//sub", "npm_package_bin_deeper=bin//sub/deeper",
			"npm_package_bin_b=bin//sub/b", "npm_package_bin_c=bin//sub/deeper/c", "npm_package_bin_link=bin//link",
		}},
		{"sub directory", `{"bin":false,"directories":{"bin":"bin/sub"}}`, []string{
			"npm_package_bin_b=bin/sub/b", "npm_package_bin_deeper=bin/sub/deeper", "npm_package_bin_c=bin/sub/deeper/c",
		}},
		{"bin given", `{"bin":{"q":"r"},"directories":{"bin":"bin"}}`, []string{"npm_package_bin_q=r"}},
		{"empty", `{"directories":{"bin":""}}`, nil},
		{"not a string", `{"directories":{"bin":5}}`, nil}, // npm fails: ref.replace is not a function
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if !link {
				want = slices.DeleteFunc(slices.Clone(want), func(kv string) bool { return strings.HasPrefix(kv, "npm_package_bin_link=") })
			}
			checkVars(t, packageVars(fieldSource{Dir: dir, Field: fieldsOf(t, tc.json)}), want)
		})
	}
	// A base name found twice: the deeper file wins, as in npm's glob order.
	if err := os.WriteFile(filepath.Join(dir, "bin", "sub", "a.js"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	got := varsMap(packageVars(fieldSource{Dir: dir, Field: fieldsOf(t, `{"directories":{"bin":"bin"}}`)}))
	if got["npm_package_bin_a.js"] != "bin/sub/a.js" {
		t.Errorf("npm_package_bin_a.js = %q, want bin/sub/a.js", got["npm_package_bin_a.js"])
	}
}

// TestJSNumber: String(JSON.parse(token)) in Node.
func TestJSNumber(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"0", "0"},
		{"-0", "0"},
		{"0.0", "0"},
		{"1", "1"},
		{"-1", "-1"},
		{"1.0", "1"},
		{"1.50", "1.5"},
		{"10", "10"},
		{"100", "100"},
		{"1e0", "1"},
		{"1E5", "100000"},
		{"1e+5", "100000"},
		{"1e20", "100000000000000000000"},
		{"1e21", "1e+21"},
		{"1.5e21", "1.5e+21"},
		{"123456789012345678901", "123456789012345680000"},
		{"-1e21", "-1e+21"},
		{"1e-6", "0.000001"},
		{"1e-7", "1e-7"},
		{"1.5e-7", "1.5e-7"},
		{"0.000001", "0.000001"},
		{"0.0000015", "0.0000015"},
		{"0.1", "0.1"},
		{"0.2", "0.2"},
		{"0.3", "0.3"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"},
		{"1.8e308", "Infinity"},
		{"-1.8e308", "-Infinity"},
		{"5e-324", "5e-324"},
		{"2e-324", "0"},
		{"1e-400", "0"},
		{"9007199254740993", "9007199254740992"},
		{"12345678901234567890", "12345678901234567000"},
		{"3.14159", "3.14159"},
		{"-2.5E-3", "-0.0025"},
		{"123e-20", "1.23e-18"},
		{"4.35", "4.35"},
		{"0.1e1", "1"},
		{"100E-2", "1"},
		{"1e100", "1e+100"},
		{"123456789.123456789", "123456789.12345679"},
		{"0.00001234", "0.00001234"},
		{"1.2345e-5", "0.000012345"},
	} {
		if got := jsNumber(tc.raw); got != tc.want {
			t.Errorf("jsNumber(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// TestSecureBinPath: npm's secureAndUnixifyPath and the base name npm keys
// a bin by, from Node with path.posix and path.win32 (they agree on all of
// these).
func TestSecureBinPath(t *testing.T) {
	for _, tc := range []struct{ in, path, base string }{
		{"./bin/x.js", "bin/x.js", "x.js"},
		{"bin//x.js", "bin/x.js", "x.js"},
		{"bin/", "bin/", "bin"},
		{"", "", ""},
		{"/", "", ""},
		{".", "", ""},
		{"..", "", ""},
		{"./", "", ""},
		{"../..", "", ""},
		{`a\..\..\b`, "b", "b"},
		{"//a//b//", "a/b/", "b"},
		{"a/./b/../c", "a/c", "c"},
		{"C:/foo", "C/foo", "foo"},
		{`C:\x\y.js`, "C/x/y.js", "y.js"},
		{`\\server\share\x`, "server/share/x", "x"},
		{"//server/share/x", "server/share/x", "x"},
		{"a:b", "a/b", "b"},
		{"...", "...", "..."},
		{"a/...", "a/...", "..."},
		{"x/.", "x", "x"},
		{"x/..", "", ""},
		{"x/../..", "", ""},
		{"/.a", ".a", ".a"},
		{"a//", "a/", "a"},
		{`\`, "", ""},
		{"::", "", ""},
		{"c:", "c/", "c"},
		{"a b/c d", "a b/c d", "c d"},
		{"é/ü", "é/ü", "ü"},
		{"a/b/", "a/b/", "b"},
		{"bin/.x", "bin/.x", ".x"},
		{`a/b/..`, "a", "a"},
		{`a/b/../`, "a/", "a"},
		{`./a`, "a", "a"},
		{`a/./`, "a/", "a"},
		{`../a/b`, "a/b", "b"},
		{`a\\b`, "a/b", "b"},
		{`a/b/c/../../d/`, "a/d/", "d"},
		{`x//y//`, "x/y/", "y"},
		{`a/..b`, "a/..b", "..b"},
		{`..a/b`, "..a/b", "b"},
		{`.../x`, ".../x", "x"},
		{`a/b:c\d/e`, "a/b/c/d/e", "e"},
	} {
		p := secureBinPath(tc.in)
		if b := nodeBasename(p, false); p != tc.path || b != tc.base {
			t.Errorf("secureBinPath(%q) = %q (base %q), want %q (base %q)", tc.in, p, b, tc.path, tc.base)
		}
	}
}

// TestNodeBasename: path.posix.basename and path.win32.basename in Node.
func TestNodeBasename(t *testing.T) {
	for _, tc := range []struct{ in, posix, win32 string }{
		{"C:foo", "C:foo", "foo"},
		{"C:", "C:", ""},
		{`a\b\`, `a\b\`, "b"},
		{`C:\`, `C:\`, ""},
		{`\\srv\sh\x`, `\\srv\sh\x`, "x"},
		{"a/b", "b", "b"},
		{"", "", ""},
		{"/", "", ""},
		{"x:y", "x:y", "y"},
		{"ab:c", "ab:c", "ab:c"},
		{"a/b//", "b", "b"},
	} {
		if got := nodeBasename(tc.in, false); got != tc.posix {
			t.Errorf("posix basename(%q) = %q, want %q", tc.in, got, tc.posix)
		}
		if got := nodeBasename(tc.in, true); got != tc.win32 {
			t.Errorf("win32 basename(%q) = %q, want %q", tc.in, got, tc.win32)
		}
	}
}

// FuzzSecureBinPath checks secureBinPath, which avoids allocating for the
// usual clean paths, against a plain rendering of npm's rule.
func FuzzSecureBinPath(f *testing.F) {
	for _, s := range []string{"./bin/x.js", "bin//x", "a/../..", `C:\x`, "a/b/", "/", "", ".", "x/."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		u := strings.NewReplacer(`\`, "/", ":", "/").Replace(ref)
		var segs []string
		for _, seg := range strings.Split(u, "/") {
			switch seg {
			case "", ".":
			case "..":
				if len(segs) > 0 {
					segs = segs[:len(segs)-1]
				}
			default:
				segs = append(segs, seg)
			}
		}
		want := strings.Join(segs, "/")
		if want != "" && strings.HasSuffix(u, "/") {
			want += "/"
		}
		if got := secureBinPath(ref); got != want {
			t.Errorf("secureBinPath(%q) = %q, want %q", ref, got, want)
		}
	})
}

// BenchmarkNpmVars flattens a typical package's name, version, config,
// engines and bin into npm_package_* variables.
func BenchmarkNpmVars(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "package.json")
	pkg := `{"name":"@scope/app","version":"1.2.3","description":"an app",
  "config":{"port":8080,"host":"localhost","db":{"name":"app","pool":[1,2]}},
  "engines":{"node":">=20","npm":">=10"},
  "bin":{"app":"bin/app.js","app-admin":"./bin/admin.js"},
  "scripts":{"start":"node server.js"},
  "dependencies":{"express":"^4.19.2","pg":"^8.11.0"}}`
	if err := os.WriteFile(path, []byte(pkg), 0o644); err != nil {
		b.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if vars := p.NpmVars(); len(vars) != 11 {
			b.Fatalf("%d variables: %q", len(vars), vars)
		}
	}
}
