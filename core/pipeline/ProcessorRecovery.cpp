// Processor: what it does to survive a crash (kept apart from the message path in Processor.cpp):
// loading the state file, replaying the control journal, and reconciling the running jobs with
// the retained job state on the broker. See docs/accounting.md, "What survives a crash or a full
// disk".

#include "accounting/ControlJournal.h"
#include "base/Logging.h"
#include "pipeline/Processor.h"

namespace greenpulse::core {

void Processor::loadState()
{
    const ProcessorState::Loaded saved = m_state.load(m_ledger, m_days);
    m_reconciler.restoreTracked(saved.retainedJobs);
    replayJournal(saved.journalSeq);
    m_reconciler.captureLastKnown(m_ledger);
    m_state.journal()->open();
}

void Processor::replayJournal(quint64 saved)
{
    quint64 last = saved;
    int replayed = 0;
    const TimeNs now = m_clock.nowNs();
    for (const ControlJournal::Record &r : ControlJournal::read(m_state.journalPath())) {
        last = std::max(last, r.seq);
        if (r.seq <= saved) {
            continue; // already in the state file (the save ran, the truncation did not)
        }
        ++replayed;
        if (r.retained) {
            m_reconciler.track(r.control.jobId);
            continue;
        }
        if (m_ledger.applyControl(r.control) == Ledger::Result::Accepted &&
            r.control.status == JobStatus::End) {
            m_reconciler.untrack(r.control.jobId);
            m_pendingFinal.insert(r.control.jobId, now); // its final points are still owed
        }
    }
    m_state.journal()->setLastSeq(last);
    if (replayed > 0) {
        qCInfo(lcProcessor) << "replayed" << replayed << "control messages from"
                            << m_state.journalPath() << "(applied after the last state save)";
    }
}

void Processor::handleJobState(const QByteArray &topic, const QByteArray &payload)
{
    const QString jobId =
        QString::fromUtf8(topic.mid(static_cast<qsizetype>(qstrlen(topics::kJobStatePrefix))));
    if (jobId.isEmpty()) {
        return;
    }
    const TimeNs now = m_clock.nowNs();
    std::optional<ControlMessage> start;
    if (!payload.isEmpty()) {
        const Decoded decoded = decode(QByteArray(topics::kControl), payload, now);
        const auto *c = std::get_if<ControlMessage>(&decoded);
        if (c && c->status == JobStatus::Start && c->jobId == jobId) {
            start = *c;
        }
    }
    const bool settling = m_reconciler.isSettling();
    if (settling) {
        m_reconciler.noteRetained(jobId, start.has_value());
    }
    if (!start) {
        return;
    }
    if (m_reconciler.track(jobId) && m_state.journal()) {
        ControlJournal::Record note;
        note.retained = true;
        note.control.jobId = jobId;
        m_state.journal()->append(note);
    }
    if (settling && !m_ledger.job(jobId)) {
        // Started while we were away and its start message is gone: the retained state says so.
        qCInfo(lcProcessor) << "job" << jobId << "known only from its retained state: started";
        applyControl(*start, now);
    }
}

void Processor::reconcile()
{
    for (const ControlMessage &end : m_reconciler.finish(m_ledger)) {
        qCWarning(lcProcessor).noquote()
            << QStringLiteral("job %1 was running in the saved state but its retained state is "
                              "gone: its end was lost while the processor was away; ended at %2 "
                              "(the last instant the ledger knows for it)")
                   .arg(end.jobId)
                   .arg(toSeconds(end.timestampNs), 0, 'f', 3);
        ++m_reconciledEnds;
        applyControl(end, m_clock.nowNs());
    }
}

} // namespace greenpulse::core
