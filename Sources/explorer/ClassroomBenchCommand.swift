import ArgumentParser
import Classroom
import Explorer
import Foundation
import Lessons

struct ClassroomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom-bench",
        abstract: "Load a classroom on loopback and measure it: delays to followers, frames per second, the teacher's frame time.",
        discussion: """
            For each count in --followers, serves a classroom on 127.0.0.1 (any free port) with a teacher \
            stepping through LESSON on a timer, that many followers connected over WebSocket in this process, \
            --typing of them exploring on their own and typing sentences. Prints, per count, the median and \
            99th-percentile delay from a state change to a follower's receipt (follow mode; own mode apart), \
            the frames per second received in all, and the teacher's frame time (draw and publish). With \
            --check, exits 1 unless every follower received the final step and the teacher's state ended as \
            its own keys alone make it.
            """)

    @Argument(help: ArgumentHelp("The lesson the teacher steps through.", valueName: "LESSON"))
    var lessonID = "six-steps"

    @Option(name: .long, help: ArgumentHelp("Comma-separated follower counts (0 measures the teacher alone).", valueName: "N,N,…"))
    var followers = "0,1,50,200"

    @Option(name: .long, help: "How many of the followers explore on their own and type (at most each count).")
    var typing = 0

    @Option(name: .long, help: "Seconds per count.")
    var seconds = 10.0

    @Option(name: .long, help: ArgumentHelp("The model (default: the lesson's).", valueName: "NAME|DIR|FILE"))
    var model: String?

    @Flag(name: .long, help: "Fail unless every follower got the final step and the teacher's state was its own.")
    var check = false

    func validate() throws {
        guard !counts.isEmpty, counts.allSatisfy({ (0...1000).contains($0) }) else {
            throw ValidationError("--followers must be counts from 0 to 1000 separated by commas, got '\(followers)'")
        }
        guard seconds >= 3, seconds <= 600 else { throw ValidationError("--seconds must be from 3 to 600, got \(seconds)") }
        guard typing >= 0 else { throw ValidationError("--typing must not be negative") }
    }

    var counts: [Int] { followers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        var lesson = try LessonSource.find(lessonID, directory: nil)
        if let model { lesson.model = model }
        #if DEBUG
        printError("note: a debug build; `swift build -c release` gives the figures to quote")
        #endif
        var failed = false
        for count in counts {
            let typists = min(typing, count)
            // The teacher's app is driven from one thread at a time: the load run's own, then this one.
            nonisolated(unsafe) let (teacher, environment) = try Self.teacher(lesson)
            nonisolated(unsafe) let (reference, _) = try Self.teacher(lesson)
            let classroom = Classroom(options: .init(code: "bench"), environment: environment)
            let seconds = self.seconds, stepEvery = seconds / Double(lesson.steps.count + 1)
            let report = try blocking {
                let server = try await ClassroomServer(classroom: classroom, host: "127.0.0.1", port: 0)
                let report = try await LoadRun.run(teacher: teacher, reference: reference, server: server, followers: count,
                                                   typing: typists, seconds: seconds, stepEvery: stepEvery)
                await server.stop()
                return report
            }
            print(Self.line(report))
            for failure in report.failures.prefix(5) { printError("  \(failure)") }
            if check {
                if report.receivedFinalStep != count {
                    printError("  only \(report.receivedFinalStep) of \(count) followers received the final step (\(report.finalStep.map(String.init) ?? "none"))")
                    failed = true
                }
                if !report.teacherUntouched {
                    printError("  the teacher's state is not what its own keys make it")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func teacher(_ lesson: Lesson) throws -> (Program, ExplorerEnvironment) {
        let (program, environment) = try InteractiveSession.makeProgram(model: nil, text: nil, screen: .lesson, lesson: lesson,
                                                                       step: 0, lessons: nil, saveProgress: false)
        program.send(.event(.resize(width: 120, height: 39)))
        _ = program.frame()
        program.settle()
        return (program, environment)
    }

    static func line(_ r: LoadRun.Report) -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }
        return "followers \(r.followers) (typing \(r.typing)): follow delay p50 \(ms(r.followDelayMedian)) ms, p99 \(ms(r.followDelayP99)) ms"
            + (r.typing > 0 ? "; own delay p50 \(ms(r.ownDelayMedian)) ms, p99 \(ms(r.ownDelayP99)) ms" : "")
            + "; \(String(format: "%.0f", r.framesPerSecond)) frames/s received; teacher frame p50 \(ms(r.teacherFrameMedian)) ms,"
            + " p99 \(ms(r.teacherFrameP99)) ms; final step \(r.receivedFinalStep)/\(r.followers)"
    }
}
