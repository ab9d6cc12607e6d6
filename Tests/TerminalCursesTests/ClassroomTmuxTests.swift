import Foundation
import Testing

/// `explorer present` and `explorer follow` side by side in two terminals (tmux): the follower mirrors
/// each of the teacher's steps within a second, explores on its own without changing the teacher's
/// screen, and is told when the session ends.
@Suite(.serialized) struct ClassroomInTmux {
    @Test func aTerminalFollowerMirrorsTheTeachersSteps() async throws {
        guard let path = Tmux.find(for: #function) else { return }
        let name = "classroom-\(UUID().uuidString.prefix(8))"
        let teacher = try Tmux(tmux: path, name: name + "-t", width: 120, height: 41)
        let student = try Tmux(tmux: path, name: name + "-s", width: 120, height: 41)
        defer { teacher.kill(); student.kill() }
        let port = 20000 + Int(getpid() % 20000)
        try teacher.startExplorer("present six-steps --port \(port) --code tmux1", environment: "XDG_STATE_HOME=$(mktemp -d)")
        await teacher.wait(forText: "code tmux1", seconds: 30)
        await teacher.wait(forText: "0 following, 0 exploring")
        try student.startExplorer("follow 127.0.0.1:\(port) --code tmux1")
        await student.wait(forText: "following the teacher", seconds: 15)
        await teacher.wait(forText: "1 following, 0 exploring")
        await student.wait(forText: "step 1 of 6")

        for step in 2...3 {
            try teacher.keys("n")
            await teacher.wait(forText: "step \(step) of 6")
            let seen = Date()
            await student.wait(forText: "step \(step) of 6", seconds: 1)
            #expect(Date().timeIntervalSince(seen) < 1)
        }

        // Exploring on its own: the student's copy moves, the teacher's does not.
        try student.type("o")
        await student.wait(forText: "exploring on your own")
        await teacher.wait(forText: "0 following, 1 exploring")
        try student.type("n")
        await student.wait(forText: "step 4 of 6")
        try await Task.sleep(for: .milliseconds(300))
        #expect(teacher.screen().contains("step 3 of 6"))
        try student.keys("F8")
        await student.wait(forText: "step 3 of 6")
        await student.wait(forText: "following the teacher")

        // Locked to follow: the student cannot branch off until the teacher unlocks.
        try teacher.keys("F2")
        await teacher.wait(forText: "1 following, 0 exploring (locked)")
        await student.wait(forText: "following the teacher (locked)")
        try student.type("o")
        await student.wait(forText: "the teacher asks everyone to follow for now")
        #expect(!student.screen().contains("exploring on your own"))
        try teacher.keys("F2")
        await student.wait(forText: "you may explore on your own again")

        try teacher.type("q")
        try await teacher.expectRestored(status: 0)
        await student.wait(forText: "The session has ended.")
        try student.type("x")
        try await student.expectRestored(status: 0)
    }
}
