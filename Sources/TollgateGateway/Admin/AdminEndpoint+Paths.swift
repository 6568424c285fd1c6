import Foundation
import Hummingbird

extension Parameters {
    /// A path parameter percent-decoded, so `/admin/teams/%E7%A0%94%E5%8F%91` names team `研发`: the
    /// router matches the path as sent, and clients must percent-encode names outside ASCII.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw GatewayRefusal.invalidRequest(
                "'\(raw)' in the path is not valid percent-encoding: encode the name's UTF-8 bytes as %XX (e.g. %E7%A0%94 for 研)"
            )
        }
        return decoded
    }
}
