import Testing
@testable import Lessons

@Suite struct Library {
    static func lesson(_ id: String, order: String? = nil, buildsOn: String? = nil) -> String {
        var front = "---\nid: \(id)\ntitle: Lesson \(id)\nsummary: S\nmodel: tiny-gpt\ninput: the cat sat\n"
        if let order { front += "order: \(order)\n" }
        if let buildsOn { front += "builds-on: \(buildsOn)\n" }
        return front + "---\n# Step 1\nText.\n"
    }

    @Test func curriculumOrder() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.md", Self.lesson("zeta", order: "1"))
        try directory.write("b.md", Self.lesson("alpha", order: "1", buildsOn: "omega"))
        try directory.write("c.md", Self.lesson("omega", order: "5"))
        try directory.write("d.md", Self.lesson("beta"))
        try directory.write("e.md", Self.lesson("gamma", order: "0.5"))
        try directory.write("README.md", "# Not a lesson")
        try directory.write("notes.txt", "not a lesson either")
        let library = LessonLibrary.load(directory: directory.path)
        #expect(library.diagnostics.isEmpty, "\(library.diagnostics)")
        #expect(library.files.count == 5)
        #expect(library.lessons.map(\.id) == ["gamma", "zeta", "omega", "alpha", "beta"])
        #expect(library.lesson(id: "omega")?.title == "Lesson omega")
        #expect(library.lesson(id: "missing") == nil)
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.md", Self.lesson("same"))
        let second = try directory.write("b.md", Self.lesson("same"))
        let library = LessonLibrary.load(files: [first, second], names: ["a.md", "b.md"])
        #expect(library.diagnostics.map(\.description) == ["b.md:2: duplicate lesson id 'same' (also in a.md:2)"])
        #expect(library.lessons.map(\.file) == ["a.md"])
    }

    @Test func aNewLessonBesideTheBundledOnes() throws {
        let directory = try TemporaryDirectory()
        let bundled = LessonLibrary.load(directory: Repository.lessons).parsed
        let next = try directory.write("next.md", Self.lesson("next", buildsOn: "six-steps"))
        let other = try directory.write("other.md", Self.lesson("next"))
        let library = LessonLibrary.load(files: [next, other], names: ["next.md", "other.md"],
                                         alongside: bundled.map { var l = $0; l.file = "Lessons/six-steps.md"; return l })
        #expect(library.diagnostics.map(\.description) == ["other.md:2: duplicate lesson id 'next' (also in next.md:2)"])
        #expect(library.lessons.map(\.id) == ["next"])
    }

    /// A teacher's edited copy of a bundled lesson, checked beside the bundled ones, stands in for it.
    @Test func aCopyOfABundledLessonIsCheckedOnItsOwn() throws {
        let directory = try TemporaryDirectory()
        let bundled = LessonLibrary.load(directory: Repository.lessons).parsed
        let copy = try directory.write("six-steps.md", Self.lesson("six-steps"))
        let next = try directory.write("next.md", Self.lesson("next", buildsOn: "six-steps"))
        let library = LessonLibrary.load(files: [copy, next], names: ["six-steps.md", "next.md"], alongside: bundled)
        #expect(library.diagnostics.isEmpty, "\(library.diagnostics)")
        #expect(library.lessons.map(\.id) == ["six-steps", "next"])
        #expect(library.lesson(id: "six-steps")?.file == "six-steps.md")
    }

    @Test func buildsOnMustNameALessonWithoutCircles() throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a.md", Self.lesson("a", buildsOn: "b"))
        let b = try directory.write("b.md", Self.lesson("b", buildsOn: "a, nowhere"))
        let c = try directory.write("c.md", Self.lesson("c", buildsOn: "c"))
        let library = LessonLibrary.load(files: [a, b, c], names: ["a.md", "b.md", "c.md"])
        #expect(library.diagnostics.map(\.description) == [
            "a.md:7: builds-on goes round in a circle: a → b → a",
            "b.md:7: builds-on goes round in a circle: b → a → b",
            "b.md:7: builds-on names 'nowhere', which is not a lesson (lessons: a, b, c)",
            "c.md:7: lesson 'c' builds on itself",
        ])
    }

    @Test func findingALessonForTheRunner() throws {
        let directory = try TemporaryDirectory()
        try directory.write("good.md", Self.lesson("six-steps"))
        try directory.write("bad.md", Self.lesson("broken") + "@show nothing\n")
        let library = LessonLibrary.load(directory: directory.path)
        #expect(try library.find("six-steps").id == "six-steps")
        #expect(throws: LessonNotFound(message: "no lesson 'six-step' (did you mean 'six-steps'?); lessons: six-steps")) {
            try library.find("six-step")
        }
        #expect(throws: LessonNotFound(message: "lesson 'broken' (\(directory.path)/bad.md) has mistakes: see `explorer lessons check`")) {
            try library.find("broken")
        }
    }

    @Test func aBrokenFileIsLeftOutAndReported() throws {
        let directory = try TemporaryDirectory()
        try directory.write("good.md", Self.lesson("good"))
        try directory.write("bad.md", Self.lesson("bad") + "@show nothing\n")
        let library = LessonLibrary.load(directory: directory.path)
        #expect(library.lessons.map(\.id) == ["good"])
        #expect(library.parsed.count == 2)
        #expect(library.diagnostics.count == 1)
        #expect(library.diagnostics.first?.description.hasSuffix("bad.md:10: unknown @show kind 'nothing' (kinds: heatmap, matrix, vector, bars, plot, steps, tokens, params, safetensors, block, compare)") == true)
    }
}
