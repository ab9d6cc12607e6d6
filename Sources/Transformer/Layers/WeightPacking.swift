import Tensor

/// Which blocks keep their W_O and MLP weights packed for the matrix product as well (`PackedMatrix`).
///
/// At a few tokens, packing a weight into panels is a large share of a product (MiniLM at 8 tokens:
/// about a fifth of the products' instructions); packing once at load takes that away, but the
/// packed copy is memory beside the parameters, which stay as they are for a learner to read. The
/// copies are held to `share` of the model's float parameters: the first blocks get them, as many
/// as fit. (Self-attention's W_Q, W_K and W_V are always packed: their side-by-side copy existed
/// anyway, and the packed one takes its place.)
enum WeightPacking {
    /// The packed copies' bound, a fraction of the float parameters' size.
    static let share = 0.4

    /// How many of a stack's `layers` blocks (the first ones) pack their weights: the copies of every
    /// stack of the model together stay within `share` of `parameters`' floats.
    static func packedBlocks(layers: Int, config: ModelConfig, parameters: Parameters) -> Int {
        let floats = parameters.tensors.values.reduce(0) { $0 + $1.count }
        let allLayers = config.architecture == .encoderDecoder ? config.nLayers + config.decoderLayers : config.nLayers
        let budget = Double(floats) * share * Double(layers) / Double(max(allLayers, 1))
        let perBlock = floatsPacked(perBlockOf: config)
        guard perBlock > 0 else { return layers }
        return min(layers, Int(budget / Double(perBlock)))
    }

    /// The floats one block's packed W_O and MLP weights hold (whole panels; a bound when some of
    /// them stay quantized and are not packed).
    static func floatsPacked(perBlockOf config: ModelConfig) -> Int {
        let panel = GemmKernel.automatic.packedPanelColumns
        func packed(_ rows: Int, _ columns: Int) -> Int { rows * ((columns + panel - 1) / panel * panel) }
        let (d, f) = (config.dModel, config.dFF)
        return packed(config.nHeads * config.headSize, d) + (config.gatedMLP ? 2 : 1) * packed(d, f) + packed(f, d)
    }
}
