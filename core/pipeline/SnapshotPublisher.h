#pragma once

// Builds the ProcessorSnapshot from the processor's parts (on the processor's thread) and hands
// the latest one to any thread: a copy is taken under a lock, then shared read-only. Also measures
// the message rate the snapshot shows.

#include "pipeline/ProcessorSnapshot.h"

#include <QElapsedTimer>
#include <QMutex>
#include <memory>

namespace greenpulse::core {

class DailyTotals;
class InfluxWriter;
class Ledger;
class ProcessorState;
class RejectionCounter;

class SnapshotPublisher
{
public:
    // What a snapshot is built from; read on the processor's thread.
    struct Sources
    {
        const Ledger &ledger;
        const MqttClient &mqtt;
        const InfluxWriter *writer; // may be null
        const RejectionCounter &rejections;
        const DailyTotals &days;
        const ProcessorState &state;
        quint64 reconciledEnds = 0;
        double staleAfterSeconds = 0; // ProcessorOptions::staleAfterSeconds
    };

    SnapshotPublisher();

    void noteMessage() { ++m_rateCount; } // one message received (for messagesPerSecond)
    void startRate() { m_rateTimer.start(); }

    // Builds a snapshot taken at `nowNs` and makes it the latest.
    void publish(const Sources &sources, TimeNs nowNs);
    // Thread-safe: the latest published snapshot (an empty one before the first publish()).
    std::shared_ptr<const ProcessorSnapshot> latest() const;

private:
    double rate();

    quint64 m_rateCount = 0;
    QElapsedTimer m_rateTimer;
    double m_rate = 0;
    mutable QMutex m_mutex;
    std::shared_ptr<const ProcessorSnapshot> m_latest;
    TimeNs m_lastConnectedNs = 0; // the last snapshot taken while connected to the broker
    double m_lastConnectedWatts = 0; // its power now
};

} // namespace greenpulse::core
