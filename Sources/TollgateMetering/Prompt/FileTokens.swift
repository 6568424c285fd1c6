/// An estimate of what a `file` part (a PDF) costs. OpenAI puts each page's extracted text and an
/// image of the page into the context and publishes no formula, so per page:
///
///     tokens per page = 1445 (a page image at the tile formula's worst case) + 1000 (a dense page of text)
///
/// Pages are the page objects (`/Type /Page`) in the decoded file; a PDF that hides them in
/// compressed object streams counts one page per 8 KiB of file. A `file_id` reference (an uploaded
/// file whose size Tollgate cannot see) counts as one page: the upstream's usage settles the rest.
/// The file name counts as text. Always an estimate.
enum FileTokens {
    /// Tokens per page: the page image at its worst case plus a page of text.
    static let perPage = ImageTokens.worstCase + 1000
    /// Bytes per page assumed when no page object can be found.
    static let bytesPerPage = 8192

    /// The estimate for the decoded file in `bytes`.
    static func count(_ bytes: Base64Bytes) -> Int {
        let total = bytes.count
        let found = pageObjects(bytes, length: total)
        let pages = found > 0 ? found : max(1, (total + bytesPerPage - 1) / bytesPerPage)
        return pages * perPage
    }

    /// Counts `/Type /Page` (not `/Pages`) in one pass, whitespace allowed between the two names.
    static func pageObjects(_ bytes: Base64Bytes, length: Int) -> Int {
        let type = Array("/Type".utf8)
        let page = Array("/Page".utf8)
        var pages = 0
        var matched = 0
        var offset = 0
        // States: matching "/Type" (matched < 5), skipping whitespace, matching "/Page", checking the next byte.
        var inPage = false
        while offset < length, let byte = bytes.byte(at: offset) {
            offset += 1
            if !inPage {
                if byte == type[matched] {
                    matched += 1
                    if matched == type.count {
                        inPage = true
                        matched = 0
                    }
                } else {
                    matched = byte == type[0] ? 1 : 0
                }
                continue
            }
            if matched == 0, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { continue }
            if matched < page.count {
                if byte == page[matched] {
                    matched += 1
                    continue
                }
            } else if !(byte == UInt8(ascii: "s")) {
                pages += 1
            }
            inPage = false
            matched = byte == type[0] ? 1 : 0
        }
        return pages
    }
}
