#pragma once

// The Ledger's state file format ("greenpulse-ledger", version 1): everything needed to continue
// the totals after a restart. Instants are written as strings of nanoseconds (exact beyond 2^53),
// counters as strings of decimal digits.

#include "accounting/LedgerTypes.h"
#include "accounting/LedgerState_p.h"

#include <QJsonObject>
#include <QString>
#include <memory>

namespace greenpulse::core::ledgerstore {

QJsonObject save(const LedgerState &state, const LedgerCounters &counters);

// A new state, with its counters in *counters; null (and *error, when given) if `json` is not a
// version 1 ledger state. Leaves `idle` unset: the Ledger names it.
std::unique_ptr<LedgerState> load(const QJsonObject &json, LedgerCounters *counters,
                                  QString *error);

} // namespace greenpulse::core::ledgerstore
