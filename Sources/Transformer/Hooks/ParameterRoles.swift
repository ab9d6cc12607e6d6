/// What the axes of a parameter count, by its name (TransformerLens' names, DESIGN.md).
extension ModelConfig {
    /// The roles of the axes of the parameter `name` of rank `rank`: heads for `W_Q [H,D,dh]`,
    /// key/value heads for `W_K`/`W_V [H_kv,D,dh]`, the vocabulary for `W_E [V,D]` and `W_U [D,V]`,
    /// positions for `W_pos [T_max,D]` (features when the table has rows before position 0's);
    /// every axis a feature for the rest.
    public func parameterRoles(of name: String, rank: Int) -> [AxisRole] {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        let roles: [AxisRole]
        switch last {
        case "W_Q", "W_O": roles = [.head, .feature, .feature]
        case "W_K", "W_V": roles = [.kvHead, .feature, .feature]
        case "b_Q": roles = [.head, .feature]
        case "b_K", "b_V": roles = [.kvHead, .feature]
        case "W_E": roles = [.vocabulary, .feature]
        case "W_pos": roles = [positionOffset == 0 ? .position : .feature, .feature]
        case "W_U": roles = [.feature, .vocabulary]
        case "b_U": roles = [.vocabulary]
        default: roles = []
        }
        return roles.count == rank ? roles : Array(repeating: .feature, count: rank)
    }
}
