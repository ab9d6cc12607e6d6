import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `explorer handout`: every step of the lesson, every figure it links to written and readable as
/// SVG, every quiz answered in the key at the end.
@Suite struct Handouts {
    @Test func sixStepsListsEveryStepAndItsFiguresExist() throws {
        let folder = try ExportHeatmap.Folder()
        let out = folder.file("six.md")
        let run = try CommandLine.run(["handout", "six-steps", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## Step ") }
        #expect(headings.count == 6)
        for n in 1...6 { #expect(headings.contains { $0.hasPrefix("## Step \(n)") }, "step \(n)") }
        let links = markdown.matches(of: /!\[[^\]]*\]\((six-figures\/step-(\d)-[^)]+\.svg)\)/).map { (String($0.1), Int($0.2)!) }
        #expect(links.count >= 6)
        #expect(Set(links.map(\.1)).isSuperset(of: [1, 2, 3, 4, 5, 6]))
        for (link, _) in links {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(link)))
            #expect(XMLParser(data: data).parse(), "\(link)")
        }
        // Nothing in the folder that the handout does not link to.
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.file("six-figures"))
        #expect(Set(written.map { "six-figures/" + $0 }) == Set(links.map(\.0)))
        // As many answers in the key as questions in the steps.
        let questions = markdown.matches(of: /\*\*Question (\d+)\.\*\*/).count
        let key = try #require(markdown.components(separatedBy: "## Answer key\n").last)
        #expect(questions > 0 && key.split(separator: "\n").filter { $0.first?.isNumber == true }.count == questions)
        // Live numbers: the sentence's own tokens are in the prose.
        #expect(markdown.contains("The model sees your sentence as 13 tokens"))
    }

    @Test func anotherSentenceChangesTheNumbers() throws {
        let folder = try ExportHeatmap.Folder()
        let out = folder.file("cat.md")
        let run = try CommandLine.run(["handout", "six-steps", "--input", "the cat sat on the mat", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("The model sees your sentence as 6 tokens"))
    }

    @Test func badLessonOrFolderIsOneClearLine() throws {
        let unknown = try CommandLine.run(["handout", "no-such-lesson", "--out", "/tmp/x.md"])
        #expect(unknown.status != 0 && unknown.stderr.hasPrefix("Error: ") && unknown.stderr.contains("no-such-lesson"), "\(unknown.stderr)")
        let folder = try CommandLine.run(["handout", "six-steps", "--out", "/no/such/folder/x.md"])
        #expect(folder.status == 1 && folder.stderr.contains("does not exist"), "\(folder.stderr)")
    }
}
