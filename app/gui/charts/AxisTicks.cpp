#include "charts/AxisTicks.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace greenpulse::app {

namespace {

// The same "loose" rounding as QValueAxis::applyNiceNumbers().
double niceNumber(double x, bool ceiling)
{
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    double q = x / z;
    if (ceiling) {
        q = q <= 1.0 ? 1.0 : q <= 2.0 ? 2.0 : q <= 5.0 ? 5.0 : 10.0;
    } else {
        q = q < 1.5 ? 1.0 : q < 3.0 ? 2.0 : q < 7.0 ? 5.0 : 10.0;
    }
    return q * z;
}

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr std::array<qint64, 19> kTimeSteps = {
    1 * kSecond, 2 * kSecond, 5 * kSecond,  10 * kSecond, 15 * kSecond, 30 * kSecond, kMinute,
    2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute, kHour,        2 * kHour,
    3 * kHour,   6 * kHour,   12 * kHour,   24 * kHour,   48 * kHour,
};

} // namespace

ValueTicks valueTicks(double low, double high, int target)
{
    ValueTicks t;
    if (!std::isfinite(low) || !std::isfinite(high) || high <= low) {
        return {low, low + 1, 0.25, {low, low + 0.25, low + 0.5, low + 0.75, low + 1}};
    }
    target = std::max(2, target);
    const double range = niceNumber(high - low, true);
    t.step = niceNumber(range / (target - 1), false);
    t.min = std::floor(low / t.step) * t.step;
    t.max = std::ceil(high / t.step) * t.step;
    const int count = static_cast<int>(std::lround((t.max - t.min) / t.step)) + 1;
    for (int i = 0; i < count; ++i) {
        double v = t.min + i * t.step;
        if (std::fabs(v) < t.step * 1e-9) {
            v = 0;
        }
        t.values.append(v);
    }
    return t;
}

qint64 timeTickStepMs(double windowMs, int maxTicks)
{
    maxTicks = std::max(2, maxTicks);
    for (qint64 step : kTimeSteps) {
        if (windowMs / static_cast<double>(step) <= maxTicks) {
            return step;
        }
    }
    return kTimeSteps.back();
}

TimeTicks timeTicks(double fromMs, double toMs, int maxTicks, qint64 utcOffsetMs)
{
    TimeTicks t;
    if (!(toMs > fromMs)) {
        return t;
    }
    t.stepMs = timeTickStepMs(toMs - fromMs, maxTicks);
    t.format = t.stepMs < kMinute      ? QStringLiteral("HH:mm:ss")
               : t.stepMs < 24 * kHour ? QStringLiteral("HH:mm")
                                       : QStringLiteral("ddd HH:mm");
    // Whole multiples of the step in local time: local = utc + offset.
    const double step = static_cast<double>(t.stepMs);
    const double offset = static_cast<double>(utcOffsetMs);
    for (double local = std::ceil((fromMs + offset) / step) * step; local - offset <= toMs;
         local += step) {
        t.at.append(local - offset);
    }
    return t;
}

} // namespace greenpulse::app
