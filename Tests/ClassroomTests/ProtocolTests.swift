import Foundation
@testable import Classroom
import Terminal
import Testing

@Suite struct ClientMessages {
    @Test func theJoinRequestNeedsACodeAndMayGiveASize() throws {
        #expect(try ClientMessageParser.join(#"{"code":"ab12"}"#) == JoinRequest(code: "ab12", size: nil))
        #expect(try ClientMessageParser.join(#"{"code":"ab12","size":{"cols":100,"rows":30}}"#)
                == JoinRequest(code: "ab12", size: FollowerSize(cols: 100, rows: 30)))
        for bad in ["", "null", "{", #"{"code":12}"#, #"{"key":"n"}"#, #"{"code":"x","size":{"cols":0,"rows":3}}"#,
                    #"{"code":"x","size":{"cols":1.5,"rows":3}}"#] {
            #expect(throws: ProtocolError.self, "\(bad)") { try ClientMessageParser.join(bad) }
        }
    }

    @Test func eachKnownMessageIsRead() throws {
        #expect(try ClientMessageParser.message(#"{"key":"ArrowUp"}"#) == .key("ArrowUp", ctrl: false, shift: false))
        #expect(try ClientMessageParser.message(#"{"key":"Tab","shift":true}"#) == .key("Tab", ctrl: false, shift: true))
        #expect(try ClientMessageParser.message(#"{"click":{"x":3,"y":4}}"#) == .click(x: 3, y: 4))
        #expect(try ClientMessageParser.message(#"{"size":{"cols":90,"rows":30}}"#) == .size(FollowerSize(cols: 90, rows: 30)))
        #expect(try ClientMessageParser.message(#"{"text":"a cat"}"#) == .text("a cat"))
        #expect(try ClientMessageParser.message(#"{"mode":"own"}"#) == .mode(.own))
        #expect(try ClientMessageParser.message(#"{"mode":"follow"}"#) == .mode(.follow))
        #expect(try ClientMessageParser.message(#"{"answer":{"quiz":"2.1","value":"b"}}"#) == .answer(quiz: "2.1", value: "b"))
        #expect(try ClientMessageParser.message(#"{"answer":{"quiz":"2.1","value":0.25}}"#) == .answer(quiz: "2.1", value: "0.25"))
    }

    @Test func malformedMessagesSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("{", "not JSON"),
            ("[]", "a message must be a JSON object"),
            (#"{}"#, "a message needs exactly one of key, click, size, text, mode, answer"),
            (#"{"key":"n","mode":"own"}"#, "a message needs exactly one of key, click, size, text, mode, answer"),
            (#"{"key":5}"#, "key must be a key's name"),
            (#"{"click":{"x":true,"y":1}}"#, "click must be {\"x\": X, \"y\": Y} in cells"),
            (#"{"mode":"lead"}"#, "mode must be \"own\" or \"follow\""),
            (#"{"answer":{"quiz":"1.1","value":true}}"#, "an answer's value must be a string or a number"),
            (#"{"text":""# + String(repeating: "x", count: 4100) + #""}"#, "message larger than 4096 bytes"),
        ]
        for (text, reason) in cases {
            #expect(throws: ProtocolError(reason), "\(text.prefix(40))") { try ClientMessageParser.message(text) }
        }
    }
}

@Suite struct DOMKeys {
    @Test func browserNamesBecomeTheTerminalsKeys() {
        #expect(DOMKey.key("n") == .character("n"))
        #expect(DOMKey.key("ArrowUp") == .up)
        #expect(DOMKey.key("PageDown") == .pageDown)
        #expect(DOMKey.key("Escape") == .escape)
        #expect(DOMKey.key("Enter") == .enter)
        #expect(DOMKey.key(" ") == .character(" "))
        #expect(DOMKey.key("é") == .character("é"))
        #expect(DOMKey.key("Tab", shift: true) == .backTab)
        #expect(DOMKey.key("u", ctrl: true) == .ctrl("u"))
        #expect(DOMKey.key("F5") == .function(5))
    }

    @Test func namesWithoutAKeyAreUnknown() {
        for name in ["", "MediaPlayPause", "F13", "\u{1B}", "\u{7F}", "ab", "Unidentified"] {
            #expect(DOMKey.key(name) == nil, "\(name)")
        }
        #expect(DOMKey.key("1", ctrl: true) == nil)
    }

    @Test func everyTerminalKeyHasANameThatComesBack() {
        let keys: [Key] = [.character("x"), .character("?"), .ctrl("e"), .up, .down, .left, .right, .home, .end, .pageUp, .pageDown,
                           .tab, .backTab, .enter, .escape, .backspace, .delete, .insert, .function(2)]
        for key in keys {
            let named = DOMKey.name(for: key)!
            #expect(DOMKey.key(named.name, ctrl: named.ctrl, shift: named.shift) == key)
        }
    }
}

@Suite struct ScreenCodes {
    @Test func aCanvasComesBackCellForCellWithPaletteColoursAsRGB() throws {
        var canvas = Canvas(width: 12, height: 3)
        canvas.write("héllo 世界", x: 0, y: 0, style: Style(foreground: .rgb(10, 20, 30), background: .terminalDefault, attributes: [.bold]))
        canvas.write("\"q\\<b>", x: 1, y: 1, style: Style(foreground: .ansi(1), background: .ansi(250), attributes: [.reverse, .dim]))
        let text = ScreenCoding.encode(canvas, dark: false)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(object["theme"] as? String == "light")
        #expect((object["styles"] as? [Any])?.count == 3)
        let back = try ScreenCoding.decode(object)
        var expected = canvas
        // Palette colours travel as the xterm palette's RGB: red is #cd0000 there, 250 is #bcbcbc.
        expected.style(Rect(x: 1, y: 1, width: 6, height: 1)) { $0.with(foreground: .rgb(0xcd, 0, 0)).with(background: .rgb(0xbc, 0xbc, 0xbc)) }
        #expect(back == expected)
        #expect(back[7, 0].text == "" && back[9, 0].text == "")
    }

    @Test func aScreenThatIsNotOneIsRefused() {
        let bad: [Any] = [[:] as [String: Any], ["cols": 2, "rows": 1, "styles": [], "lines": [[["ab", 0]]]],
                          ["cols": 2, "rows": 2, "styles": [[NSNull(), NSNull(), 0]], "lines": [[["ab", 0]]]],
                          ["cols": 2, "rows": 1, "styles": [["red", NSNull(), 0]], "lines": [[["ab", 0]]]]]
        for object in bad {
            #expect(throws: ScreenCoding.DecodingError.self) { try ScreenCoding.decode(object) }
        }
    }
}
