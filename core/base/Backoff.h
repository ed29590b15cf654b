#pragma once

// Exponential backoff with jitter, shared by everything that retries on a timer (the MQTT
// reconnect, the InfluxDB writer): the step starts at initialMs and is multiplied after every
// failure up to maxMs; each delay is drawn uniformly between jitterLow and jitterHigh times the
// step, so that many clients that failed together do not retry together. A server's own delay
// (HTTP Retry-After) replaces the step, with up to retryAfterJitterMs added. reset() after a
// success starts again at initialMs.
//
// The random source is injected (tests pass a deterministic one); by default it is
// QRandomGenerator::global().

#include <QtGlobal>
#include <functional>
#include <utility>

namespace greenpulse::core {

struct BackoffPolicy
{
    int initialMs = 1000;
    int maxMs = 60000;
    double multiplier = 2.0;
    // The delay is drawn from [jitterLow * step, jitterHigh * step].
    double jitterLow = 0.5;
    double jitterHigh = 1.0;
    int retryAfterJitterMs = 0; // added to a server's delay: [0, this)
};

class Backoff
{
public:
    using Policy = BackoffPolicy;
    // A uniform integer in [0, bound); bound >= 1.
    using RandomSource = std::function<quint32(quint32 bound)>;

    explicit Backoff(Policy policy = {}, RandomSource random = {});

    // The next delay after a failure: advances the step (initialMs the first time).
    int next();
    // As next(), but the server said when (retryAfterMs >= 0): that, plus a little jitter. The step
    // still advances, for the failures after this one. retryAfterMs < 0: same as next().
    int next(int retryAfterMs);
    // The step jumps to maxMs (a failure that retrying soon will not fix): its jittered delay.
    int nextAtMax();
    // After a success: the next failure starts at initialMs again.
    void reset() { m_stepMs = 0; }

    int stepMs() const { return m_stepMs; } // 0 after reset()
    const Policy &policy() const { return m_policy; }
    // Changes initial and max (max at least initial, both at least 1); keeps the other settings.
    void setLimits(int initialMs, int maxMs);

private:
    void advance();
    int jittered() const;
    quint32 draw(quint32 bound) const;

    Policy m_policy;
    RandomSource m_random;
    int m_stepMs = 0;
};

} // namespace greenpulse::core
