/// Maps items with at most `width` of them in progress; results in input order.
///
/// For work where each item is slow and independent (a triage probe, a regression replay) but
/// the target must not see more than `width` at once.
func mapLimited<Item: Sendable, Result: Sendable>(
    _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    guard !items.isEmpty else { return [] }
    let width = max(1, min(width, items.count))
    return await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<width {
            let i = next
            group.addTask { (i, await body(items[i])) }
            next += 1
        }
        while let (i, value) = await group.next() {
            results[i] = value
            if next < items.count {
                let j = next
                group.addTask { (j, await body(items[j])) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}
