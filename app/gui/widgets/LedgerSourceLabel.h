#pragma once

#include <QLabel>

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

// Says whose ledger the window shows, in the status bar: "Own processor (desktop)", or
// "Following processor X", and when the followed ledger went silent, since when and why
// (offline, stopped, no summary). Follow mode: docs/dashboard.md.
class LedgerSourceLabel : public QLabel
{
    Q_OBJECT
public:
    // `followed`: the processor followed; empty: the own processor.
    explicit LedgerSourceLabel(const QString &followed, QWidget *parent = nullptr);

    void setSnapshot(const core::ProcessorSnapshot &snapshot);

    // The text for `snapshot` (also the window title's suffix in follow mode).
    static QString describe(const QString &followed, const core::ProcessorSnapshot *snapshot);
    static QString windowTitle(const QString &followed);

private:
    QString m_followed;
};

} // namespace greenpulse::app
