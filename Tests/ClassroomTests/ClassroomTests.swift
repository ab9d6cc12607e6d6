import Foundation
@testable import Classroom
import Explorer
import Terminal
import Testing

/// The classroom without the network: joining, follow and own mode, locking, quizzes, the mailbox.
@Suite(.serialized) struct ClassroomBehaviour {
    @Test func aWrongCodeIsRefusedWithPolicyViolationAndTheRightOneGetsTheTeachersFrame() async throws {
        let teacher = try Support.teacher()
        let classroom = Support.classroom(teacher)
        guard case .refused(let reason, let code) = await classroom.admit(code: "nope", address: "10.0.0.9", size: nil) else {
            Issue.record("a wrong code was let in")
            return
        }
        #expect(reason == "wrong join code")
        #expect(code == 1008)
        #expect(classroom.followerCount == 0)
        let follower = try await Support.join(classroom)
        let state = try Support.state(follower.mailbox.take().frame)
        #expect(state["screen"] as? String == "explore")
        #expect(state["text"] as? String == Support.sentence)
        #expect(state["mode"] as? String == "follow")
        #expect(state["lesson"] is NSNull)
        #expect(state["step"] is NSNull)
    }

    @Test func repeatedWrongCodesFromOneAddressAreSlowedDown() async throws {
        let classroom = Support.classroom(try Support.teacher())
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            _ = await classroom.admit(code: "guess", address: "10.0.0.7", size: nil)
            times.append(Date().timeIntervalSince(start))
        }
        // The first two are answered at once; the third waits 0.25 s, the fourth 0.5 s, the fifth 1 s.
        #expect(times[0] < 0.1 && times[1] < 0.1)
        #expect(times[2] >= 0.24 && times[3] >= 0.49 && times[4] >= 0.99)
        // Another address is not slowed by them.
        let start = Date()
        _ = await classroom.admit(code: "guess", address: "10.0.0.8", size: nil)
        #expect(Date().timeIntervalSince(start) < 0.1)
    }

    @Test func pastTheCapAFollowerIsToldToTryAgainLater() async throws {
        let classroom = Support.classroom(try Support.teacher(), maxFollowers: 2)
        let first = try await Support.join(classroom)
        _ = try await Support.join(classroom)
        guard case .refused(let reason, let code) = await classroom.admit(code: "c0de", address: "127.0.0.1", size: nil) else {
            Issue.record("a third follower was let in past a cap of 2")
            return
        }
        #expect(code == 1013)
        #expect(reason.contains("full"))
        classroom.leave(first)
        _ = try await Support.join(classroom)
    }

    @Test func inFollowModeOnlyModeActs() async throws {
        let teacher = try Support.teacher()
        let before = teacher.state
        let classroom = Support.classroom(teacher)
        let follower = try await Support.join(classroom)
        _ = follower.mailbox.take()
        for message: ClientMessage in [.key("j", ctrl: false, shift: false), .key("]", ctrl: false, shift: false), .text("a cat sat"),
                                       .click(x: 10, y: 5), .answer(quiz: "2.1", value: "3"), .size(FollowerSize(cols: 90, rows: 30))] {
            classroom.receive(message, from: follower)
        }
        #expect(Support.settledFrame(classroom, follower) == nil)
        #expect(teacher.state == before)
        #expect(classroom.counts.following == 1 && classroom.counts.exploring == 0)
    }

    @Test func ownModeDivergesWithoutTouchingTheTeacherThenSnapsBack() async throws {
        let teacher = try Support.teacher()
        let before = teacher.state
        let classroom = Support.classroom(teacher)
        let follower = try await Support.join(classroom, size: FollowerSize(cols: 100, rows: 30))
        _ = follower.mailbox.take()
        classroom.receive(.mode(.own), from: follower)
        var state = try Support.state(Support.settledFrame(classroom, follower))
        #expect(state["mode"] as? String == "own")
        #expect(state["text"] as? String == Support.sentence)
        #expect(classroom.counts.exploring == 1)

        classroom.receive(.text("the cat sat on the mat"), from: follower)
        let frame = Support.settledFrame(classroom, follower)
        state = try Support.state(frame)
        #expect(state["text"] as? String == "the cat sat on the mat")
        let own = try Support.text(frame)
        #expect(own.contains("mat"))
        // The copy is drawn at the follower's size.
        #expect(own.split(separator: "\n", omittingEmptySubsequences: false).count == 30)
        classroom.receive(.key("]", ctrl: false, shift: false), from: follower)
        classroom.receive(.key("ArrowUp", ctrl: false, shift: false), from: follower)
        _ = Support.settledFrame(classroom, follower)
        #expect(follower.own?.state.selection.layer == 1)

        // The teacher's state never changed, and the teacher's screen does not show the student's sentence.
        #expect(teacher.state == before)
        #expect(try !Support.text(Mailbox.Frame(t: 0, state: "", screen: ScreenCoding.encode(teacher.frame(), dark: true))).contains("mat"))

        classroom.receive(.mode(.follow), from: follower)
        state = try Support.state(follower.mailbox.take().frame)
        #expect(state["mode"] as? String == "follow")
        #expect(state["text"] as? String == Support.sentence)
        #expect(follower.own == nil)
        #expect(classroom.counts.exploring == 0)
    }

    @Test func unknownKeysAreIgnoredWithAWarning() async throws {
        let teacher = try Support.teacher()
        let classroom = Support.classroom(teacher)
        let follower = try await Support.join(classroom)
        classroom.receive(.mode(.own), from: follower)
        _ = Support.settledFrame(classroom, follower)
        let before = follower.own?.state
        classroom.receive(.key("MediaPlayPause", ctrl: false, shift: false), from: follower)
        classroom.receive(.key("\u{1B}", ctrl: false, shift: false), from: follower)
        let taken = follower.mailbox.take()
        #expect(taken.notices == ["unknown key MediaPlayPause", "unknown key \\e"])
        #expect(follower.own?.state == before)
    }

    @Test func keysBeyondTheRateLimitAreDropped() async throws {
        let classroom = Support.classroom(try Support.teacher(), keysPerSecond: 1, keyBurst: 3)
        let follower = try await Support.join(classroom)
        classroom.receive(.mode(.own), from: follower)
        _ = Support.settledFrame(classroom, follower)
        let start = follower.own!.state.selection.query
        for _ in 0..<10 { classroom.receive(.key("ArrowUp", ctrl: false, shift: false), from: follower) }
        let taken = follower.mailbox.take()
        #expect(follower.own!.state.selection.query == start - 3)
        #expect(taken.notices == ["too many keys: some were dropped"])
    }

    @Test func lockingSendsEveryoneBackToFollowAndRefusesOwnMode() async throws {
        let teacher = try Support.teacher()
        let classroom = Support.classroom(teacher)
        let follower = try await Support.join(classroom)
        classroom.receive(.mode(.own), from: follower)
        _ = Support.settledFrame(classroom, follower)
        classroom.setLocked(true)
        var taken = follower.mailbox.take()
        var state = try Support.state(taken.frame)
        #expect(state["mode"] as? String == "follow")
        #expect(state["locked"] as? Bool == true)
        classroom.receive(.mode(.own), from: follower)
        taken = follower.mailbox.take()
        #expect(taken.frame == nil)
        #expect(taken.notices == ["the teacher asks everyone to follow for now"])
        classroom.setLocked(false)
        classroom.receive(.mode(.own), from: follower)
        state = try Support.state(Support.settledFrame(classroom, follower))
        #expect(state["mode"] as? String == "own")
    }

    @Test func quizAnswersAreCountedAnonymouslyPerQuiz() async throws {
        let teacher = try Support.teacher(lesson: "six-steps")
        teacher.send(.event(.key(.character("n"))))
        teacher.settle()
        _ = teacher.frame()
        teacher.settle()
        let lesson = try #require(teacher.state.lesson)
        let quiz = try #require(lesson.quizzes.first)
        let classroom = Support.classroom(teacher)
        let right = quiz.check(answer: "0").correct ? "0" : (quiz.expected ?? "")
        var followers: [Follower] = []
        for _ in 0..<3 {
            let follower = try await Support.join(classroom)
            classroom.receive(.mode(.own), from: follower)
            _ = Support.settledFrame(classroom, follower)
            followers.append(follower)
        }
        classroom.receive(.answer(quiz: quiz.id, value: right), from: followers[0])
        classroom.receive(.answer(quiz: quiz.id, value: right), from: followers[1])
        classroom.receive(.answer(quiz: quiz.id, value: "123456"), from: followers[2])
        // Answering again replaces that follower's answer: still three answered.
        classroom.receive(.answer(quiz: quiz.id, value: "123456"), from: followers[1])
        _ = Support.settledFrame(classroom, followers[0])
        let counts = classroom.quizCounts(lesson: lesson.id, quizzes: [quiz.id])
        #expect(counts == [Classroom.QuizCount(quiz: quiz.id, answered: 3, right: 1)])
        #expect(teacher.state.lesson?.answers.isEmpty == true)
        classroom.receive(.answer(quiz: "9.9", value: "1"), from: followers[0])
        #expect(followers[0].mailbox.take().notices == ["no quiz 9.9 on this step"])
    }

    @Test func theSessionsEndSendsAnEndedFrame() async throws {
        let classroom = Support.classroom(try Support.teacher())
        let follower = try await Support.join(classroom)
        classroom.end()
        let frame = try #require(follower.mailbox.take().frame)
        #expect(frame.ended)
        #expect(try Support.text(frame).contains("The session has ended."))
        guard case .refused(_, let code) = await classroom.admit(code: "c0de", address: "127.0.0.1", size: nil) else {
            Issue.record("joined after the end")
            return
        }
        #expect(code == 1001)
    }

    @Test func typingOnALargeModelWaitsLongerBeforeItRuns() throws {
        #expect(Classroom.debounce(milliseconds: 60, weights: 100_000) == 60)
        #expect(Classroom.debounce(milliseconds: 60, weights: 124_000_000) == 400)
        #expect(Classroom.debounce(milliseconds: 0, weights: 124_000_000) == 0)
        let store = RunStore()
        store.put(model: try Support.model("tiny-gpt"), as: "tiny-gpt")
        let typing = RunRequest(id: 1, input: RunInput(model: "tiny-gpt", text: "a"), delayMilliseconds: editDebounceMilliseconds)
        #expect(Classroom.debounce(typing, store: store) == editDebounceMilliseconds)
    }

    @Test func aFollowerThatDoesNotReadKeepsOnlyTheNewestFrame() {
        let mailbox = Mailbox()
        for n in 0..<1000 { mailbox.post(Mailbox.Frame(t: Int64(n), state: "{}", screen: "{}")) }
        for n in 0..<10 { mailbox.post(notice: "notice \(n)") }
        let taken = mailbox.take()
        #expect(taken.frame?.t == 999)
        #expect(taken.notices == ["notice 6", "notice 7", "notice 8", "notice 9"])
        #expect(mailbox.take().frame == nil)
    }
}

extension Mailbox.Frame: Equatable {
    public static func == (a: Mailbox.Frame, b: Mailbox.Frame) -> Bool {
        a.t == b.t && a.state == b.state && a.screen == b.screen && a.ended == b.ended
    }
}
