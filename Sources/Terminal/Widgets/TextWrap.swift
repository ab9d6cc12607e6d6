/// Wrapping prose to a width in terminal columns, by words: lines break at spaces, and also
/// between wide (CJK) characters, which are written without spaces; closing CJK punctuation
/// (`。`, `、`, `）`, …) never starts a line. A word longer than a line is cut between characters.
///
/// Blocks: paragraphs are separated by blank lines (and a blank line is kept between them); inside
/// a paragraph single newlines join lines with a space, except before a list item (`- `, `* `,
/// `• `, `1. `), which starts its own block with a hanging indent; `#` headings are their own
/// block (`#` to `######` then a space), in the accent style.
public enum TextWrap {
    /// The wrapped lines of `text` at `width` columns, styled by `theme` (`**bold**`, `` `code` ``).
    public static func lines(_ text: String, width: Int, theme: Theme) -> [[StyledRun]] {
        guard width > 0 else { return [] }
        var out: [[StyledRun]] = []
        for (index, block) in blocks(text).enumerated() {
            if index > 0 && block.startsParagraph { out.append([]) }
            let base = block.isHeading ? theme.accent : theme.text
            let runs = StyledText.parse(block.text, base: base, code: theme.code)
            out += wrap(atoms(runs), width: width, indent: min(block.indent, width / 2), base: base)
        }
        return out
    }

    struct Block { var text: String; var indent: Int; var startsParagraph: Bool; var isHeading: Bool }

    /// The blocks of `text`, in order.
    static func blocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var blankBefore = false
        let lines = text.replacingOccurrences("\r\n", "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            let line = String(raw).replacingTabs
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty { blankBefore = true; continue }
            let startsParagraph = blankBefore || blocks.isEmpty
            defer { blankBefore = false }
            let hashes = trimmed.prefix { $0 == "#" }
            if !hashes.isEmpty && (trimmed.count == hashes.count || trimmed.dropFirst(hashes.count).hasPrefix(" ")) {
                let title = trimmed.drop { $0 == "#" }.drop { $0 == " " }
                blocks.append(Block(text: String(title), indent: 0, startsParagraph: startsParagraph, isHeading: true))
            } else if let marker = listMarker(trimmed) {
                blocks.append(Block(text: String(trimmed), indent: marker, startsParagraph: startsParagraph, isHeading: false))
            } else if !startsParagraph, let last = blocks.last, !last.isHeading {
                blocks[blocks.count - 1].text += " " + trimmed
            } else {
                blocks.append(Block(text: String(trimmed), indent: 0, startsParagraph: startsParagraph, isHeading: false))
            }
        }
        return blocks
    }

    /// The width of a list marker starting `line` (`- `, `* `, `• `, `12. `), if it has one.
    static func listMarker(_ line: Substring) -> Int? {
        for bullet in ["- ", "* ", "• "] where line.hasPrefix(bullet) && !line.hasPrefix("**") { return 2 }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let rest = line.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ") ? digits.count + 2 : nil
    }

    /// An unbreakable piece: a word (maybe in several styles), or one wide character.
    struct Atom { var runs: [StyledRun] = []; var width = 0; var spaceBefore = false }

    /// Closing punctuation that stays with the character before it.
    static let noBreakBefore: Set<Character> = ["。", "、", "，", "．", "！", "？", "：", "；", "）", "」", "』", "】", "〕", "》", "〉", "ー", "々"]

    static func atoms(_ runs: [StyledRun]) -> [Atom] {
        var atoms: [Atom] = []
        var current = Atom(), pendingSpace = false
        func add(_ character: Character, _ style: Style, to atom: inout Atom) {
            if let last = atom.runs.last, last.style == style { atom.runs[atom.runs.count - 1].text.append(character) }
            else { atom.runs.append(StyledRun(String(character), style: style)) }
            atom.width += DisplayWidth.of(character)
        }
        func finish() { if current.width > 0 || !current.runs.isEmpty { atoms.append(current) }; current = Atom() }
        for run in runs {
            for character in run.text {
                if character == " " { finish(); pendingSpace = true; continue }
                let wide = DisplayWidth.of(character) >= 2
                if wide && noBreakBefore.contains(character) && !pendingSpace {
                    if current.runs.isEmpty, !atoms.isEmpty { current = atoms.removeLast() }
                    add(character, run.style, to: &current); finish(); continue
                }
                if wide { finish() }
                if current.runs.isEmpty { current.spaceBefore = pendingSpace; pendingSpace = false }
                add(character, run.style, to: &current)
                if wide { finish() }
            }
        }
        finish()
        return atoms
    }

    /// Greedy filling: as many atoms as fit on each line; lines after the first start with `indent`
    /// spaces. A space between words takes their style when both have it, else `base`.
    static func wrap(_ atoms: [Atom], width: Int, indent: Int, base: Style) -> [[StyledRun]] {
        var lines: [[StyledRun]] = []
        var line: [StyledRun] = [], used = 0
        func newLine() { lines.append(line); line = [StyledRun(String(repeating: " ", count: indent), style: base)]; used = indent }
        func append(_ run: StyledRun) {
            if let last = line.last, last.style == run.style { line[line.count - 1].text += run.text } else { line.append(run) }
        }
        for atom in atoms {
            let atLineStart = used == 0 || (used == indent && !lines.isEmpty)
            let space = atom.spaceBefore && !atLineStart ? 1 : 0
            if used + space + atom.width > width && !atLineStart {
                newLine()
            } else if space == 1 {
                let style = line.last?.style == atom.runs.first?.style ? atom.runs.first!.style : base
                append(StyledRun(" ", style: style)); used += 1
            }
            if used + atom.width <= width {
                atom.runs.forEach(append); used += atom.width
                continue
            }
            // Longer than a line: cut between characters.
            for run in atom.runs {
                for character in run.text {
                    let w = DisplayWidth.of(character)
                    if used + w > width && used > (lines.isEmpty ? 0 : indent) { newLine() }
                    append(StyledRun(String(character), style: run.style)); used += w
                }
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { $0.filter { !$0.text.isEmpty } }
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
