import Foundation
import Lessons
import Terminal

// Input that arrives whole from another front end (a classroom follower's page) rather than key by key.
// Each obeys what the screen allows, as the keys would: a lesson step that does not let the learner
// edit the sentence ignores a new one.

/// Puts `text` (sanitised, on one line) in as the sentence and runs it at once. Ignored while the
/// lesson step does not allow editing the sentence, or when the text is empty or unchanged.
public func submitSentence(_ state: inout AppState, _ text: String) -> [Effect] {
    let clean = Sanitizer.sanitize(text).trimmingCharacters(in: .whitespaces)
    guard !clean.isEmpty else { return [] }
    if state.screen == .lesson, let lesson = state.lesson, !lesson.allows(.input) { return [] }
    state.editor = nil
    guard clean != state.input.text else { return [] }
    state.input.text = clean
    return requestRun(&state)
}

/// Answers the quiz with id `quiz` (`"2.1"`) of the lesson step on screen with `value`, as typing the
/// answer into it would: the quiz takes the keyboard's focus and the answer is kept and checked.
/// Returns nil when the step has no such quiz.
public func answerQuiz(_ state: inout AppState, quiz: String, value: String) -> [Effect]? {
    guard state.screen == .lesson, var lesson = state.lesson,
          let index = lesson.quizzes.firstIndex(where: { $0.id == quiz }) else { return nil }
    lesson.focusedQuiz = index
    lesson.answerEditor = nil
    let effects = answer(&lesson, Sanitizer.sanitize(value), progress: state.progress)
    state.lesson = lesson
    return effects
}
