package pkgjson

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// WorkspacePatterns returns the "workspaces" field as npm's map-workspaces
// reads it: an array of glob patterns, or an object whose "packages" is
// one (yarn's form). declared is false when the field is absent or falsy
// (false, null, 0, ""): then npm lists no workspaces, and pnpm's
// pnpm-workspace.yaml may speak instead. Any other value, or a pattern that
// is not a string, is an *Error.
func (p *Package) WorkspacePatterns() (patterns []string, declared bool, err error) {
	raw, ok := p.Field("workspaces")
	v := gjson.Parse(raw)
	if !ok || !jsTruthy(v) {
		return nil, false, nil
	}
	// Array.isArray(workspaces.packages) ? workspaces.packages : workspaces
	list := v
	if v.IsObject() {
		for _, m := range jsMembers(v) {
			if m.key == "packages" && m.val.IsArray() {
				list = m.val
			}
		}
	}
	if !list.IsArray() {
		return nil, true, &Error{Path: p.Path, Msg: fmt.Sprintf(
			`"workspaces" in %s must be an array or an object with a "packages" array (workspaces config expects an Array)`, p.Path)}
	}
	list.ForEach(func(_, e gjson.Result) bool {
		if e.Type != gjson.String {
			err = &Error{Path: p.Path, Msg: fmt.Sprintf(`"workspaces" in %s must list strings, not %s`, p.Path, typeName(e.Raw))}
			return false
		}
		patterns = append(patterns, jsString(e.Raw))
		return true
	})
	if err != nil {
		return nil, true, err
	}
	return patterns, true, nil
}

// LoadName reads only the "name" of the package.json at path, as npm reads
// a workspace's package.json to list it: "" when absent or not a string
// (the last of duplicate keys wins), and no check of the other keys, so a
// workspace whose scripts are malformed is still listed. The file must be
// one JSON object; errors are those of Load, and a missing file's wraps
// fs.ErrNotExist.
func LoadName(path string) (string, error) {
	data, err := ReadFile(path)
	if err != nil {
		return "", err
	}
	var r scanned
	if _, err := parseObject(path, data, &r); err != nil {
		return "", err
	}
	name := (&Package{fields: r.fields}).stringField("name")
	// name may share data's memory; give it its own.
	return strings.Clone(name), nil
}
