import ArgumentParser
import Foundation

/// Says `error: <reason>` on standard error and gives the exit code a command ends with for it.
func exitFailure(_ code: Int32, _ reason: Any) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
    return ExitCode(code)
}
