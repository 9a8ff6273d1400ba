import Testing
@testable import StreamCore

/// Results write countBy values from this cache: a stale rank after a new value would write
/// `statusCounts` out of byte order, a wrong member would write bad JSON.
@Suite struct CountByValueNamesTests {
    private func intern(_ value: String, into table: inout KeyTable) -> Int32 {
        Array(value.utf8).withUnsafeBytes { table.intern($0) }
    }

    private func member(_ id: Int32, of names: CountByValueNames) -> String {
        names.withMember(id) { String(decoding: $0, as: UTF8.self) }
    }

    @Test func ranksFollowByteOrderAndValuesAddedLaterAreEscapedAndRanked() {
        var table = KeyTable(capacity: 4)
        let paid = intern("PAID", into: &table)
        let created = intern("CREATED", into: &table)
        let names = CountByValueNames()
        names.add(from: table)
        #expect(names.count == 2)
        #expect(names.rank(created) == 0 && names.rank(paid) == 1)
        #expect(member(paid, of: names) == "\"PAID\":")
        #expect(names.memberCount(paid) == 7)

        let quoted = intern("A\"B", into: &table)
        let lower = intern("paid", into: &table)
        names.add(from: table)
        #expect(names.count == 4)
        #expect([quoted, created, paid, lower].map(names.rank) == [0, 1, 2, 3])
        #expect(member(quoted, of: names) == "\"A\\\"B\":")
        #expect(member(created, of: names) == "\"CREATED\":")
        #expect(member(lower, of: names) == "\"paid\":")
    }
}
