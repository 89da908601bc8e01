package minimatch

// ExpandBraces expands the {a,b} alternatives of a pattern, nested ones
// too, in the order minimatch's brace-expansion gives them: "{a,b}{1,2}" is
// a1 a2 b1 b2. A group without a comma ("{a}") stays literal, and so does
// everything from an unbalanced "{" on.
func ExpandBraces(pattern string) []string {
	p := pattern
	for i := 0; i < len(p); i++ {
		if p[i] != '{' {
			continue
		}
		depth, end := 0, -1
		var commas []int
		for j := i; j < len(p) && end < 0; j++ {
			switch p[j] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					end = j
				}
			case ',':
				if depth == 1 {
					commas = append(commas, j)
				}
			}
		}
		if end < 0 {
			return []string{p} // unbalanced: literal from here on
		}
		if len(commas) == 0 {
			continue // "{a}" is literal; look inside and after it
		}
		pre, post := p[:i], p[end+1:]
		var out []string
		start := i + 1
		for _, c := range append(commas, end) {
			out = append(out, ExpandBraces(pre+p[start:c]+post)...)
			start = c + 1
		}
		return out
	}
	return []string{p}
}
