#include "Waveforms.h"

#include <cmath>

namespace greenpulse::core::waveforms {

namespace {
constexpr double kPi = 3.14159265358979323846;

// t folded into [0, period): keeps precision for large t and makes negative t well defined.
double phase(double t, double period)
{
    const double p = std::fmod(t, period);
    return p < 0.0 ? p + period : p;
}
} // namespace

double coolingFlowLpm(double t)
{
    return kFlowMeanLpm +
           kFlowAmplitudeLpm * std::sin(2.0 * kPi * phase(t, kFlowPeriodS) / kFlowPeriodS);
}

double coolantTempC(double t)
{
    const double half = kTempPeriodS / 2.0;
    const double p = phase(t, kTempPeriodS);
    const double span = kTempMaxC - kTempMinC;
    if (p <= half) {
        return kTempMinC + span * p / half;
    }
    return kTempMaxC - span * (p - half) / half;
}

} // namespace greenpulse::core::waveforms
