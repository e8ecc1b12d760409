import Mutator

/// What one mutation operator earned in a run: the report's `operator_yield` rows.
public struct OperatorYield: Codable, Sendable, Hashable {
    /// The operator (`headers.probe-conditional`, `discover.link`, …).
    public var name: String
    /// Mutants sent that carried it.
    public var mutants: Int
    /// Those mutants whose (endpoint, status, response shape) had not been seen before.
    public var newShapes: Int
    /// Findings whose minimal request (or, unconfirmed, first example) carries it.
    public var findings: Int

    enum CodingKeys: String, CodingKey {
        case name, mutants, findings
        case newShapes = "new_shapes"
    }

    /// The rows of operators that sent something or found something, most findings first, then
    /// most new shapes, then name.
    static func rows(_ statistics: MutatorStatistics, findings: [Finding]) -> [OperatorYield] {
        rows(statistics.operators.map { OperatorYield(name: $0.name, mutants: $0.uses, newShapes: $0.rewards, findings: 0) }, findings: findings)
    }

    /// Shards' rows of one run summed by operator (`report merge`); findings counted again on the merged findings.
    static func merged(_ shards: [[OperatorYield]], findings: [Finding]) -> [OperatorYield] {
        var sums: [String: OperatorYield] = [:]
        for row in shards.joined() {
            sums[row.name, default: OperatorYield(name: row.name, mutants: 0, newShapes: 0, findings: 0)].mutants += row.mutants
            sums[row.name]?.newShapes += row.newShapes
        }
        return rows(Array(sums.values), findings: findings)
    }

    /// `counted` with each operator's findings set from `findings`, rows that did nothing dropped, sorted.
    private static func rows(_ counted: [OperatorYield], findings: [Finding]) -> [OperatorYield] {
        var found: [String: Int] = [:]
        for finding in findings {
            let operations = finding.minimal?.operations ?? finding.example.operations
            // `name(detail)`: each operator counts once per finding.
            for name in Set(operations.map { String($0.prefix { $0 != "(" }) }) { found[name, default: 0] += 1 }
        }
        var rows = counted.map { OperatorYield(name: $0.name, mutants: $0.mutants, newShapes: $0.newShapes, findings: found[$0.name] ?? 0) }
        for (name, count) in found where !rows.contains(where: { $0.name == name }) {
            rows.append(OperatorYield(name: name, mutants: 0, newShapes: 0, findings: count))
        }
        return rows.filter { $0.mutants > 0 || $0.findings > 0 }.sorted {
            ($0.findings, $0.newShapes, $1.name) > ($1.findings, $1.newShapes, $0.name)
        }
    }
}
