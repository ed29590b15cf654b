#pragma once

#include <QString>
#include <optional>

namespace greenpulse::grid {

// Why the wire contract's decoder would refuse `zone` as the <zone> of
// greenpulse/grid/<zone>/carbon_intensity ("is empty", "contains '/', '+' or '#'"...); nullopt
// when it accepts it. The decoder is the one judge, so the rule is written once.
std::optional<QString> zoneProblem(const QString &zone);

} // namespace greenpulse::grid
