/// A small DEFLATE compressor (RFC 1951) in a zlib wrapper (RFC 1950), enough for PNG's image data:
/// one block with the fixed Huffman codes, matches found by LZ77 over a 32 KiB window through a
/// hash of the next three bytes. Flat areas and repeated rows (a heatmap's cells) shrink well; it
/// makes no attempt at the last few percent a dynamic-Huffman coder would win.
enum Deflate {
    /// `data` as a zlib stream: header, one fixed-Huffman block, Adler-32.
    static func zlib(_ data: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01: no dictionary, check bits making 0x7801 % 31 == 0.
        bits.bytes = [0x78, 0x01]
        bits.write(1, count: 1)  // BFINAL: the last block
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        compress(data, into: &bits)
        writeLiteral(256, into: &bits)  // end of block
        bits.flush()
        let adler = Checksums.adler32(data)
        return bits.bytes + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
    }

    static let window = 32_768, minMatch = 3, maxMatch = 258, maxChain = 16

    /// LZ77 over `data`: at each position the longest earlier match within the window (following up
    /// to `maxChain` earlier positions with the same three-byte hash), else a literal.
    static func compress(_ data: [UInt8], into bits: inout BitWriter) {
        let hashSize = 1 << 15
        var head = [Int](repeating: -1, count: hashSize)
        var previous = [Int](repeating: -1, count: data.count)
        func hash(_ i: Int) -> Int {
            (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & (hashSize - 1)
        }
        func insert(_ i: Int) {
            guard i + minMatch <= data.count else { return }
            let h = hash(i)
            previous[i] = head[h]
            head[h] = i
        }
        var i = 0
        while i < data.count {
            var bestLength = 0, bestDistance = 0
            if i + minMatch <= data.count {
                var candidate = head[hash(i)]
                var chain = 0
                let limit = min(maxMatch, data.count - i)
                while candidate >= 0, i - candidate <= window, chain < maxChain {
                    var length = 0
                    while length < limit && data[candidate + length] == data[i + length] { length += 1 }
                    if length > bestLength { bestLength = length; bestDistance = i - candidate }
                    if length == limit { break }
                    candidate = previous[candidate]
                    chain += 1
                }
            }
            if bestLength >= minMatch {
                writeMatch(length: bestLength, distance: bestDistance, into: &bits)
                for j in i..<(i + bestLength) { insert(j) }
                i += bestLength
            } else {
                writeLiteral(Int(data[i]), into: &bits)
                insert(i)
                i += 1
            }
        }
    }

    /// A literal byte or the end-of-block code (256), or a length code (257…285), in the fixed
    /// Huffman code of RFC 1951 §3.2.6.
    static func writeLiteral(_ symbol: Int, into bits: inout BitWriter) {
        switch symbol {
        case 0...143: bits.writeHuffman(0x30 + symbol, length: 8)
        case 144...255: bits.writeHuffman(0x190 + symbol - 144, length: 9)
        case 256...279: bits.writeHuffman(symbol - 256, length: 7)
        default: bits.writeHuffman(0xC0 + symbol - 280, length: 8)
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                             131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                               1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
                                12, 13, 13]

    /// A match: its length code and extra bits, then its distance code (5 bits) and extra bits.
    static func writeMatch(length: Int, distance: Int, into bits: inout BitWriter) {
        let l = lengthBase.lastIndex { $0 <= length }!
        writeLiteral(257 + l, into: &bits)
        bits.write(UInt32(length - lengthBase[l]), count: lengthExtra[l])
        let d = distanceBase.lastIndex { $0 <= distance }!
        bits.writeHuffman(d, length: 5)
        bits.write(UInt32(distance - distanceBase[d]), count: distanceExtra[d])
    }
}

/// Bits packed as DEFLATE wants them: from the least significant bit of each byte up.
struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt32 = 0
    var used = 0

    /// The low `count` bits of `value`, least significant first (header fields, extra bits).
    mutating func write(_ value: UInt32, count: Int) {
        guard count > 0 else { return }
        buffer |= (value & ((1 << UInt32(count)) - 1)) << UInt32(used)
        used += count
        while used >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            used -= 8
        }
    }

    /// A Huffman code, which DEFLATE stores most significant bit first.
    mutating func writeHuffman(_ code: Int, length: Int) {
        var reversed: UInt32 = 0
        for b in 0..<length where code & (1 << (length - 1 - b)) != 0 { reversed |= 1 << UInt32(b) }
        write(reversed, count: length)
    }

    /// Pads the last byte with zeros.
    mutating func flush() {
        if used > 0 { bytes.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        used = 0
    }
}
