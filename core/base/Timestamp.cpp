#include "base/Timestamp.h"

#include <cmath>
#include <limits>

namespace greenpulse::core {

namespace {
// Largest accepted instant: 9.2e18 ns (mid 2261), just inside qint64.
constexpr double kMaxNsDouble = 9.2e18;
constexpr qint64 kMaxNs = 9'200'000'000'000'000'000;
} // namespace

std::optional<TimeNs> normalizeTimestamp(qint64 value)
{
    if (value <= 0)
        return std::nullopt;
    qint64 unitNs = 1;
    if (value < 100'000'000'000LL) // below 1e11: seconds
        unitNs = 1'000'000'000;
    else if (value < 100'000'000'000'000LL) // below 1e14: milliseconds
        unitNs = 1'000'000;
    else if (value < 100'000'000'000'000'000LL) // below 1e17: microseconds
        unitNs = 1'000;
    if (value > kMaxNs / unitNs)
        return std::nullopt;
    return value * unitNs;
}

std::optional<TimeNs> normalizeTimestamp(double value)
{
    if (!std::isfinite(value) || value <= 0)
        return std::nullopt;
    double unitNs = 1;
    if (value < 1e11)
        unitNs = 1e9;
    else if (value < 1e14)
        unitNs = 1e6;
    else if (value < 1e17)
        unitNs = 1e3;
    if (value * unitNs > kMaxNsDouble)
        return std::nullopt;
    if (unitNs == 1)
        return static_cast<TimeNs>(std::llround(value));
    // A double holds about 16 significant digits: anything finer than a microsecond is noise
    // (and the encoders write microseconds), so fractions are rounded to whole microseconds.
    const double whole = std::floor(value);
    const auto fractionUs = static_cast<qint64>(std::llround((value - whole) * unitNs / 1e3));
    const TimeNs ns = static_cast<TimeNs>(whole) * static_cast<TimeNs>(unitNs) + fractionUs * 1000;
    if (ns <= 0) // e.g. 1e-9 s: rounds to the epoch itself
        return std::nullopt;
    return ns;
}

double toSeconds(TimeNs ns)
{
    return static_cast<double>(ns) / 1e9;
}

TimeNs fromSeconds(double seconds)
{
    if (std::isnan(seconds))
        return 0;
    if (seconds >= 9.2e9)
        return std::numeric_limits<TimeNs>::max();
    if (seconds <= -9.2e9)
        return std::numeric_limits<TimeNs>::min();
    const double whole = std::floor(seconds);
    return static_cast<TimeNs>(whole) * 1'000'000'000 +
           static_cast<TimeNs>(std::llround((seconds - whole) * 1e9));
}

} // namespace greenpulse::core
