import Analysis
import Transformer

/// `@show steps`: the six steps of the attention a lesson names, for the selected head, query and key,
/// gathered by the Analysis module; names a lesson got wrong are said in the lesson's terms.
struct AttentionStepsBuilder {
    let evaluator: Evaluator
    var context: LessonContext { evaluator.context }
    var selection: Selection { evaluator.selection }

    /// - Parameter site: the attention's name with the layer written in (`blocks.0.attn`).
    func build(site name: String) throws -> AttentionSteps {
        let config = context.config
        guard let site = Site(parsing: name, in: config), site.kind.isAttention else {
            let sites = config.attentionSites.map(\.name)
            throw EvaluationError("no attention named \(name) (attentions: \(sites.sorted().joined(separator: ", ")))",
                                  learner: "(no attention \(name) in this model)")
        }
        do {
            return try AttentionSteps(site: site, head: selection.head, query: selection.query, key: selection.key,
                                      cache: context.cache, config: config,
                                      queryLabels: context.labels(site.queryTokens), keyLabels: context.labels(site.keyTokens))
        } catch AttentionStepsError.notRecorded(let hook) {
            throw EvaluationError("this run did not record \(hook)", learner: "(\(hook) was not recorded)")
        } catch let AttentionStepsError.outside(head, query, key, heads, queries, keys) {
            throw EvaluationError("the selection (head \(head), query \(query), key \(key)) is outside \(name): \(heads) heads, \(queries) queries, \(keys) keys",
                                  learner: "(the selection is outside this attention)")
        } catch {
            throw EvaluationError("\(error)", learner: "(no attention \(name) in this model)")
        }
    }
}
