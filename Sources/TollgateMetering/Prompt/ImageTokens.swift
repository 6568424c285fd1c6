/// What one image costs as input, by OpenAI's published tile formula for vision models
/// (platform.openai.com/docs/guides/images-vision, "Calculating costs"; GPT-4o and GPT-4.1 class):
///
/// - `detail: "low"`: 85 tokens, whatever the size.
/// - `"high"`, `"auto"` or absent: scale to fit within 2048 × 2048, then scale so the shortest side
///   is 768 (only ever down); 170 tokens per 512-px tile of the result, plus 85.
///
/// Scaled sides are kept exact (rationals) and tiles rounded up, so a side landing a fraction past
/// a tile boundary counts the extra tile: the count errs high, never low.
enum ImageTokens {
    /// Tokens of a low-detail image, and the base every high-detail image pays.
    static let base = 85
    /// Tokens per 512 × 512 tile at high detail.
    static let perTile = 170
    /// The worst case at high detail, for images whose size is unknown (remote URLs, unreadable
    /// data): after scaling, a side is at most 2048 and the shorter at most 768, so at most
    /// 4 × 2 tiles: 8 × 170 + 85 = 1445 tokens (reached by a 768 × 2048 image).
    static let worstCase = base + 8 * perTile

    /// Tokens of an image of `dimensions` at `detail` (nil dimensions: the worst case).
    static func count(_ dimensions: ImageDimensions?, detail: String?) -> Int {
        if detail == "low" { return base }
        guard let dimensions else { return worstCase }
        return base + perTile * tiles(width: dimensions.width, height: dimensions.height)
    }

    /// 512-px tiles covering the image after both scaling steps.
    static func tiles(width: Int, height: Int) -> Int {
        let longest = max(width, height)
        let shortest = min(width, height)
        // The scale factor as numerator / denominator: the two steps compose to one factor.
        var numerator = 1
        var denominator = 1
        if longest > 2048 { (numerator, denominator) = (2048, longest) }
        if shortest * numerator > 768 * denominator { (numerator, denominator) = (768, shortest) }
        func tilesAlong(_ side: Int) -> Int {
            let scaled = side * numerator
            let tile = 512 * denominator
            return (scaled + tile - 1) / tile
        }
        return tilesAlong(width) * tilesAlong(height)
    }
}
