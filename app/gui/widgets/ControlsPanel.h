#pragma once

#include <QHash>
#include <QSet>
#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace greenpulse::core {
struct HostSummary;
} // namespace greenpulse::core

namespace greenpulse::app {

// Job controls: name, host, Start (Ctrl+Return), Stop (Ctrl+.), Run demo.
class ControlsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ControlsPanel(QWidget *parent = nullptr);

    // The field, or "Interactive_Job" when empty; empty when the field was cleared by a start
    // (markStarted) and nothing typed since: a second Ctrl+Return must not repeat a job.
    QString jobName() const;
    // After a start: the field is cleared and says what was started.
    void markStarted(const QString &jobId);
    // Silent hosts are greyed in the host list, with how long they have been silent.
    void setSilentHosts(const QHash<QString, double> &silentAges);
    QString hostChoice() const; // empty: all hosts
    // Offers the snapshot's hosts (names); keeps the current choice.
    void setHosts(const std::vector<core::HostSummary> &hosts);
    void setStopEnabled(bool enabled, const QString &tooltip = {});
    void setDemoRunning(bool running);
    void setDemoProgress(const QString &text);
    QString demoProgress() const;

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *hostBox() const { return m_host; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *demoButton() const { return m_demo; }

signals:
    void startRequested();
    void stopRequested();
    void demoRequested(); // Run demo, or Cancel demo while it runs

private:
    QLineEdit *m_name = nullptr;
    QComboBox *m_host = nullptr;
    QSet<QString> m_knownHosts; // the hosts m_host offers
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_demo = nullptr;
    QLabel *m_demoProgress = nullptr;
    bool m_demoRunning = false;
    bool m_startedSinceEdit = false; // a start cleared the name field; nothing typed since
    QSet<QString> m_greyed;          // hosts shown as silent in m_host
};

} // namespace greenpulse::app
