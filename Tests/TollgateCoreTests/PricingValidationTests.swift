import Testing

@testable import TollgateCore

@Suite("Pricing validation errors name file, line and field")
struct PricingValidationTests {
    func only(_ files: [PricingFile]) -> PricingError? {
        let problems = PricingFixtures.problems(files)
        #expect(problems.count == 1, "expected one problem, got \(problems)")
        return problems.first
    }

    @Test("unknown model alias in a price book")
    func unknownModelAlias() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", model: "gpt-4"),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .unknownModel)
        #expect(problem?.file == "prices/v1.json")
        #expect(problem?.line == 12)
        #expect(problem?.field == "books.official.gpt-4")
        #expect(problem?.description.contains("known models are deepseek-v3.2, gpt-4.1") == true)
    }

    @Test("negative price")
    func negativePrice() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", gptOutput: "\"-8.00\""),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .negativeValue)
        #expect(problem?.field == "books.official.gpt-4.1.output")
    }

    @Test("price written as a JSON number is refused: it would pass through binary floating point")
    func numericPrice() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", gptOutput: "8.00"),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .malformed)
        #expect(problem?.description.contains("write the number as a string") == true)
    }

    @Test("malformed price text")
    func malformedPrice() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", gptOutput: "\"eight\""),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .malformed)
        #expect(problem?.line != nil)
    }

    @Test("missing field")
    func missingField() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z", omitOfficial: true),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .missingField)
        #expect(problem?.field == "books.official")
    }

    @Test("duplicate effective dates")
    func duplicateDates() {
        let problem = only(PricingFixtures.valid + [PricingFixtures.prices("v2", from: "2026-10-01T00:00:00Z")])
        #expect(problem?.code == .duplicateVersion)
        #expect(problem?.field == "effective_from")
    }

    @Test("duplicate version ids")
    func duplicateIDs() {
        let copy = PricingFixtures.prices("v1", from: "2026-11-01T00:00:00Z")
        let problem = only(PricingFixtures.valid + [PricingFile(path: "prices/copy.json", contents: copy.contents)])
        #expect(problem?.code == .duplicateVersion)
        #expect(problem?.file == "prices/copy.json")
    }

    @Test("a version effective before the one it claims to supersede")
    func supersedesLater() {
        let problem = only(PricingFixtures.valid + [PricingFixtures.prices("v0", from: "2026-09-01T00:00:00Z", supersedes: "v1")])
        #expect(problem?.code == .supersedesLater)
        #expect(problem?.file == "prices/v0.json")
    }

    @Test("superseding a version that doesn't exist")
    func unknownPredecessor() {
        let problem = only(PricingFixtures.valid + [PricingFixtures.fx("fx2", from: "2026-11-01T00:00:00Z", supersedes: "fx-nope")])
        #expect(problem?.code == .unknownPredecessor)
    }

    @Test("zero FX rate")
    func zeroRate() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "2026-10-01T00:00:00Z"),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z", baseline: "0"),
        ])
        #expect(problem?.code == .negativeValue)
        #expect(problem?.field == "cny_per_usd.baseline")
    }

    @Test("bad instant")
    func badInstant() {
        let problem = only([
            PricingFixtures.models, PricingFixtures.prices("v1", from: "Nov 1 2026"), PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.field == "effective_from")
        #expect(problem?.description.contains("RFC 3339") == true)
    }

    @Test("invalid JSON")
    func invalidJSON() {
        let problem = only([
            PricingFixtures.models, PricingFile(path: "prices/v1.json", contents: "{ \"version\": "),
            PricingFixtures.fx("fx1", from: "2026-10-01T00:00:00Z"),
        ])
        #expect(problem?.code == .malformed)
        #expect(problem?.file == "prices/v1.json")
    }

    @Test("missing models.json, price and FX versions are all reported together")
    func emptyFolder() {
        let problems = PricingFixtures.problems([])
        #expect(problems.count == 3)
        #expect(problems.allSatisfy { $0.code == .missingField })
    }

    @Test("a model without max_output_tokens")
    func modelWithoutMaximum() {
        let models = PricingFile(path: "models.json", contents: #"{ "models": { "gpt-4.1": { "provider": "openai" } } }"#)
        let problems = PricingFixtures.problems([models] + PricingFixtures.valid.dropFirst())
        #expect(problems.first?.field == "models.gpt-4.1.max_output_tokens")
    }
}
