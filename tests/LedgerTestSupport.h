#pragma once

// Samples and control messages for the Ledger's exact-value tests (test_ledger*.cpp).

#include "accounting/Ledger.h"

#include <cmath>
#include <gtest/gtest.h>

namespace greenpulse::test::ledger {

using namespace greenpulse::core;

inline constexpr TimeNs kT0 = 1'764'049'200LL * 1'000'000'000LL; // 2025-11-25 05:40:00 UTC
inline constexpr TimeNs kSecond = 1'000'000'000LL;

inline TimeNs at(double seconds)
{
    return kT0 + static_cast<TimeNs>(std::llround(seconds * 1e9));
}

inline PowerSample power(const QString &host, double seconds, double watts, const QString &job = {})
{
    PowerSample s;
    s.host = host;
    s.watts = watts;
    s.jobId = job;
    s.timestampNs = at(seconds);
    return s;
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
    ControlMessage m;
    m.status = status;
    m.jobId = job;
    m.host = host;
    m.timestampNs = at(seconds);
    return m;
}

inline void expectRelative(double actual, double expected, double tolerance = 1e-9)
{
    EXPECT_NEAR(actual, expected, std::abs(expected) * tolerance)
        << "actual " << actual << " expected " << expected;
}

// The same sample with a "seq".
template <typename Sample> Sample withSeq(Sample s, quint64 seq)
{
    s.seq = seq;
    return s;
}

// The same message as the processor hands it over: received at `receiptSeconds`.
template <typename Message> Message receivedAt(Message m, double receiptSeconds)
{
    m.receiptNs = at(receiptSeconds);
    return m;
}

} // namespace greenpulse::test::ledger
