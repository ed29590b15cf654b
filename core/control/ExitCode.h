#pragma once

namespace greenpulse::core {

// How a job's exit code is told, as a shell tells it: a command that cannot be started exits
// 127, one killed by a signal 128 + the signal. `greenpulse-job run` and the dashboard's Command
// launcher publish it in the job's end ("exit_code", docs/protocol.md).
inline constexpr int kCannotRunExitCode = 127;

// `code` is QProcess::exitCode(); on a crash (QProcess::CrashExit) QProcess reports the signal
// that ended the process there.
constexpr int shellExitCode(int code, bool crashed)
{
    return crashed ? 128 + code : code;
}

} // namespace greenpulse::core
