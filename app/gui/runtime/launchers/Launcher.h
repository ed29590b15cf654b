#pragma once

#include "runtime/launchers/Launch.h"

#include <QList>
#include <QObject>
#include <vector>

namespace greenpulse::core {
struct JobSummary;
} // namespace greenpulse::core

namespace greenpulse::app {

class OutputBuffer;

// What the dashboard's Start and Stop buttons do (docs/dashboard.md, "Launchers"): publish a
// label (LabelLauncher), run a command on this machine (CommandLauncher) or submit to Slurm
// (SlurmLauncher). Everything runs asynchronously on the GUI thread (QProcess), never blocking
// it. A launcher keeps its recent launches (at most kMaxLaunches; the oldest finished go first).
class Launcher : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Label, Command, Slurm };
    static constexpr int kMaxLaunches = 200;

    using QObject::QObject;

    virtual Kind kind() const = 0;
    // Starts what `request` says. The job id comes with started() (at once, or once Slurm
    // answers); what goes wrong comes with failed(), meant for the window.
    virtual void start(const LaunchRequest &request) = 0;
    // Stops a job this launcher started; false when it is not one of its running jobs.
    virtual bool stop(const QString &jobId) = 0;
    // Learns from the processor's jobs (a Slurm job's id, start and end); default: nothing.
    virtual void observe(const std::vector<core::JobSummary> &jobs);
    // A job's captured output; nullptr when it has none.
    virtual const OutputBuffer *output(const QString &jobId) const;

    const QList<Launch> &launches() const { return m_launches; }
    const Launch *find(const QString &jobId) const;
    bool canStop(const QString &jobId) const;

signals:
    void started(const QString &jobId);
    void failed(const QString &message);
    void info(const QString &message);
    void changed(); // a launch was added or changed state
    void outputChanged(const QString &jobId);

protected:
    Launch &add();
    Launch *findMutable(const QString &jobId);
    Launch *bySerial(quint64 serial);
    // Sets the state (and the exit code) and says so; a final state stays final.
    void setState(Launch &launch, LaunchState state, const QString &detail = {});

private:
    QList<Launch> m_launches;
    quint64 m_nextSerial = 1;
};

} // namespace greenpulse::app
