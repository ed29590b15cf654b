#pragma once

#include <QtGlobal>

namespace greenpulse::core {

// Injected time source, so the ledger and the writer can be tested with chosen instants.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowNs() const = 0; // nanoseconds since the Unix epoch
};

class SystemClock final : public Clock
{
public:
    qint64 nowNs() const override;
};

class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 nowNs = 0) : m_now(nowNs) {}
    qint64 nowNs() const override { return m_now; }
    void set(qint64 nowNs) { m_now = nowNs; }
    void advanceSeconds(double seconds) { m_now += static_cast<qint64>(seconds * 1e9); }

private:
    qint64 m_now;
};

} // namespace greenpulse::core
