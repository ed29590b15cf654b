#pragma once

// Samples and control messages for the tests, built once: as values (for the ledger and the
// trackers) and as the JSON payloads on the wire (for the processor). Times are seconds after
// kT0, a fixed instant, or absolute (the *At builders; nowNs() for the wall clock).

#include "protocol/Encode.h"
#include "protocol/Messages.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <cmath>
#include <optional>

namespace greenpulse::test {

using core::ControlMessage;
using core::FlowTempSample;
using core::JobStatus;
using core::PowerSample;
using core::TimeNs;

inline constexpr TimeNs kT0 = 1'764'049'200LL * 1'000'000'000LL; // 2025-11-25 05:40:00 UTC
inline constexpr TimeNs kSecond = 1'000'000'000LL;

// kT0 + seconds.
inline TimeNs at(double seconds)
{
    return kT0 + static_cast<TimeNs>(std::llround(seconds * 1e9));
}

// The wall clock, in ns since the epoch.
inline TimeNs nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
}

inline PowerSample powerAt(const QString &host, double watts, TimeNs t, const QString &job = {},
                           std::optional<quint64> seq = std::nullopt)
{
    PowerSample s;
    s.host = host;
    s.watts = watts;
    s.jobId = job;
    s.timestampNs = t;
    s.seq = seq;
    return s;
}

inline ControlMessage controlAt(JobStatus status, const QString &job, const QString &host, TimeNs t)
{
    ControlMessage m;
    m.status = status;
    m.jobId = job;
    m.host = host;
    m.timestampNs = t;
    return m;
}

inline PowerSample power(const QString &host, double seconds, double watts, const QString &job = {})
{
    return powerAt(host, watts, at(seconds), job);
}

inline FlowTempSample flow(const QString &host, double seconds, double lpm, double temp = 30.0)
{
    FlowTempSample s;
    s.host = host;
    s.flowLpm = lpm;
    s.tempC = temp;
    s.timestampNs = at(seconds);
    return s;
}

inline ControlMessage control(JobStatus status, const QString &job, double seconds,
                              const QString &host = {})
{
    return controlAt(status, job, host, at(seconds));
}

// The same, as the JSON payloads a publisher sends.
inline QByteArray powerJson(const char *host, double seconds, double watts,
                            const char *job = nullptr)
{
    return core::encode(power(QString::fromLatin1(host), seconds, watts,
                              job ? QString::fromLatin1(job) : QString()));
}

inline QByteArray controlJson(JobStatus status, const char *job, double seconds)
{
    return core::encode(control(status, QString::fromLatin1(job), seconds));
}

} // namespace greenpulse::test
