import Tensor

extension SafeTensors {
    /// Writes `tensors` (and `metadata`, as `"__metadata__"`) to a safetensors file at `path`,
    /// atomically: the old file, if any, is replaced only once the new one is complete.
    ///
    /// Every tensor is stored as little-endian F32, in name order; the header JSON is padded with
    /// spaces to a multiple of 8 bytes so that the data, and every tensor in it, stays 4-byte aligned
    /// and loads back without a copy.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        if tensors["__metadata__"] != nil {
            throw ModelError.badFile(path: path, reason: "cannot write a tensor named \"__metadata__\": the format reserves that name")
        }
        let names = tensors.keys.sorted()
        let header = encodeHeader(names.map { ($0, tensors[$0]!.shape) }, metadata: metadata)
        guard header.count <= SafeTensorsHeader.maxHeaderLength else {
            throw ModelError.badFile(path: path, reason: "header would be \(header.count) bytes, over the \(SafeTensorsHeader.maxHeaderLength)-byte limit readers accept")
        }
        try AtomicFile.write(path: path) { sink in
            try withUnsafeBytes(of: UInt64(header.count).littleEndian) { try sink.write($0) }
            try sink.write(header)
            for name in names {
                try tensors[name]!.withUnsafeBufferPointer { floats in
                    #if _endian(little)
                    try sink.write(UnsafeRawBufferPointer(floats))
                    #else
                    try sink.write(floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
                    #endif
                }
            }
        }
    }

    /// The header for F32 tensors of the given names and shapes, laid out in the order given:
    /// `{"__metadata__":{…},"name":{"dtype":"F32","shape":[…],"data_offsets":[begin,end]},…}`,
    /// padded with spaces to a multiple of 8 bytes.
    static func encodeHeader(_ layout: [(name: String, shape: [Int])], metadata: [String: String]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonQuoted($0)):\(jsonQuoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, shape) in layout {
            let end = offset + shape.reduce(1, *) * MemoryLayout<Float>.size
            let dims = shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonQuoted(name)):{\"dtype\":\"F32\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array("{\(fields.joined(separator: ","))}".utf8)
        bytes += repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }
}

/// `text` as a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped,
/// and DEL, U+2028 and U+2029 too (safe inside a web page's script); everything else as UTF-8. The one
/// hand-written JSON string escaper (safetensors headers, the classroom's frames).
public func jsonQuoted(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
