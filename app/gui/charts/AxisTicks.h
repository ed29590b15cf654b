#pragma once

#include <QString>
#include <QVector>

namespace greenpulse::app {

// Ticks for the charts' axes, computed here rather than by Qt Charts so they are round, stable
// and labelled by our own formatting (format::tick, no scientific notation).

struct ValueTicks
{
    double min = 0;
    double max = 1;
    double step = 0.25;
    QVector<double> values; // min, min + step, ..., max
};
// "Nice" ticks (steps of 1, 2 or 5 times a power of ten) covering [low, high], about `target`.
ValueTicks valueTicks(double low, double high, int target = 5);

struct TimeTicks
{
    qint64 stepMs = 0;
    QVector<double> at; // ms since the epoch, each a whole multiple of the step in local time
    QString format;     // QDateTime format of their labels: "HH:mm", "HH:mm:ss" or "ddd HH:mm"
};
// Round time ticks inside [fromMs, toMs]: every 10/15/30 s, 1/2/5/10/15/30 min or 1/2/3/6/12 h,
// the finest step that keeps at most `maxTicks` of them. The step depends only on the window's
// length and `maxTicks`, and each tick lies on a whole multiple of it in local time
// (`utcOffsetMs`): as the window slides the ticks scroll with the data instead of shifting.
TimeTicks timeTicks(double fromMs, double toMs, int maxTicks, qint64 utcOffsetMs);
// The step timeTicks() picks for a window of `windowMs`.
qint64 timeTickStepMs(double windowMs, int maxTicks);

} // namespace greenpulse::app
