#pragma once

// Helpers for the Ledger's exact-value tests (test_ledger*.cpp); the samples and control
// messages themselves come from support/Samples.h.

#include "Samples.h"
#include "accounting/Ledger.h"

#include <cmath>
#include <gtest/gtest.h>

namespace greenpulse::test::ledger {

using namespace greenpulse::core;
using namespace greenpulse::test; // kT0, at(), power(), flow(), control() (support/Samples.h)

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
