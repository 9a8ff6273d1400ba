import StreamCore

/// The shapes of the names a definition introduces, checked where they are written rather than
/// where they would later break (a topic the broker rejects, an id that cannot be split).
extension YAMLValue {
    /// A Kafka topic: ASCII letters, digits, `.`, `_` and `-`, at most 249 characters.
    func topic() throws -> String {
        let text = try string()
        let legal = text.unicodeScalars.allSatisfy { $0.isASCIILetterOrDigit || "._-".unicodeScalars.contains($0) }
        guard legal, text.count <= 249, text != ".", text != ".." else {
            throw error("\"\(text)\" is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)")
        }
        return text
    }

    /// A job name. It is part of output ids (`<job>:<key>:<windowStart>:<revision>`) and of task and
    /// checkpoint names, hence no `:`, `/` or spaces.
    func jobName() throws -> String {
        let text = try string()
        let scalars = text.unicodeScalars
        guard scalars.first!.isASCIILetterOrDigit,
              scalars.allSatisfy({ $0.isASCIILetterOrDigit || "._-".unicodeScalars.contains($0) }) else {
            throw error("\"\(text)\" is not a valid job name (start with a letter or digit; then letters, digits, '.', '_', '-')")
        }
        return text
    }

    /// A name that becomes a JSON field of the output and the first part of a rule metric
    /// (`statusCounts.PAYMENT_FAILED`), hence an identifier without dots.
    func identifier() throws -> String {
        let text = try string()
        let scalars = text.unicodeScalars
        guard scalars.first!.isASCIILetter || scalars.first! == "_",
              scalars.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "_" }) else {
            throw error("\"\(text)\" is not a valid name (a letter or '_', then letters, digits or '_')")
        }
        return text
    }

    /// A dotted path into the event, e.g. `data.amount`.
    func fieldPath() throws -> FieldPath {
        let text = try string()
        let path = FieldPath(dotted: text)
        guard path.components.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw error("\"\(text)\" is not a valid field path (dot-separated names like data.amount)")
        }
        return path
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIILetterOrDigit: Bool { isASCIILetter || ("0"..."9").contains(self) }
}
