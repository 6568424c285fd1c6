import Testing
import TollgateGateway

@testable import TollgateCLI

struct ServerLimitOptionsTests {
    @Test("server limits: a flag wins over TOLLGATE_*, which wins over the default; the connection cap follows the descriptor limit")
    func precedence() throws {
        let defaults = try ServerLimitOptions.parse([]).limits(environment: [:], descriptorLimit: 1024)
        #expect(defaults == ServerLimits(maxConnections: 480))
        #expect(ServerLimitOptions.defaultMaxConnections(20) == 16)
        let environment = ["TOLLGATE_REQUEST_HEAD_TIMEOUT": "5", "TOLLGATE_MAX_CONNECTIONS": "200", "TOLLGATE_MAX_HEADER_COUNT": "50"]
        let fromEnvironment = try ServerLimitOptions.parse([]).limits(environment: environment, descriptorLimit: 1024)
        #expect(fromEnvironment.requestHeadTimeout == .seconds(5))
        #expect(fromEnvironment.maxConnections == 200)
        #expect(fromEnvironment.maxHeaderCount == 50)
        let fromFlags = try ServerLimitOptions.parse([
            "--max-connections", "64", "--body-timeout", "7", "--idle-timeout", "9", "--max-header-bytes", "8192",
        ])
        .limits(environment: environment, descriptorLimit: 1024)
        #expect(
            fromFlags
                == ServerLimits(
                    requestHeadTimeout: .seconds(5),
                    idleTimeout: .seconds(9),
                    bodyTimeout: .seconds(7),
                    maxHeaderCount: 50,
                    maxHeaderBytes: 8192,
                    maxConnections: 64
                )
        )
    }

    @Test("a limit that is not a whole number of 1 or more is refused, saying how to set it")
    func badValues() throws {
        let error = #expect(throws: CLIError.self) {
            try ServerLimitOptions.parse([]).limits(environment: ["TOLLGATE_MAX_CONNECTIONS": "lots"])
        }
        #expect(error?.description.contains("TOLLGATE_MAX_CONNECTIONS=") == true)
        #expect(throws: CLIError.self) { try ServerLimitOptions.parse(["--idle-timeout", "0"]).limits(environment: [:]) }
        #expect(throws: CLIError.self) { try ServerLimitOptions.parse([]).limits(environment: ["TOLLGATE_BODY_TIMEOUT": "-1"]) }
    }
}
