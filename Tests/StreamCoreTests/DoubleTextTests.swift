@testable import BSSTools
import Testing
@testable import StreamCore

/// Whole numbers and amounts in cents are written without the standard library's formatter; the
/// text must be the formatter's, byte for byte, and every other value must still go to it.
@Suite struct DoubleTextTests {
    private func written(_ v: Double) -> String {
        var w = JSONWriter()
        w.double(v)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func short(_ v: Double) -> String? {
        var text: String?
        _ = DoubleText.withShort(v) { text = String(decoding: $0, as: UTF8.self) }
        return text
    }

    @Test func everyCentAmountUpToTwoThousandIsWrittenAsTheFormatterWritesIt() {
        for cents in -200_000...200_000 {
            let v = Double(cents) / 100
            #expect(short(v) == v.description, "\(cents) cents")
        }
    }

    @Test func sumsOfAmountsMatchTheFormatterWhetherOrNotTheyKeepTwoDecimals() {
        var rng = SplitMix64(seed: 7)
        var shortCount = 0, formatterCount = 0
        for _ in 0..<20_000 {
            var sum = 0.0
            for _ in 0..<Int(rng.next() % 12) + 1 { sum += Double(Int(rng.next() % 1_000_000)) / 100 }
            #expect(written(sum) == sum.description)
            if short(sum) != nil { shortCount += 1 } else { formatterCount += 1 }
        }
        // Both paths ran: sums like 0.1 + 0.2 leave two decimals and must fall to the formatter.
        #expect(shortCount > 0 && formatterCount > 0)
    }

    @Test func largeMagnitudesAndTheBoundariesMatchTheFormatter() {
        let edges: [Double] = [0x1p40, 0x1p40 - 0.01, 0x1p40 - 0.5, 0x1p40 + 0.5, 0x1p40.nextDown, 0x1p53, 0x1p53 + 2,
                               -0x1p53, 1e15 + 0.5, 99_999_999_999.99, 1_099_511_627_775.99, 0.01, -0.01, 0.1, 0.07,
                               0.005, 1e-5, 0, -0.0, 5e-324, 1e21, 0.1 + 0.2, 1.0 / 3]
        for v in edges { #expect(written(v) == v.description, "\(v)") }
        var rng = SplitMix64(seed: 11)
        for _ in 0..<50_000 {
            let cents = Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            let v = Double(cents) / 100
            #expect(written(v) == v.description, "\(cents) cents")
            let bits = Double(bitPattern: rng.next())
            if bits.isFinite { #expect(written(bits) == bits.description, "\(bits)") }
        }
    }

    @Test func negativeZeroAndValuesWithMoreDecimalsAreLeftToTheFormatter() {
        #expect(short(-0.0) == nil)
        #expect(short(0.1 + 0.2) == nil)
        #expect(short(12.345) == nil)
        #expect(short(0x1p40 + 0.5) == nil)
        #expect(short(12.5) == "12.5")
        #expect(short(-0.07) == "-0.07")
        #expect(short(51) == "51.0")
    }
}
