#pragma once
// The contract runner: the sweep of every (endpoint, documented status) row against the chosen
// target, realistic and/or forced, with a progress bar, the green/red matrix (one table per
// service: a row per endpoint, a column per documented status and code) and a click-through from
// each cell to the case's trigger, Check()'s message and the exchanges the case caused.
//
// Targets: a fresh in-process mock made for each run (never the user's mock), or restbox-mock
// behind an HTTP-mock environment (natively and in the browser). One engine for both: each job is
// a contract::Task started on the panel's contract::Loop, which Draw() runs every frame. In-process
// jobs complete inline, several per frame within kFrameBudget; over HTTP a job waits for its
// answers without blocking (the transport posts its resumption to the loop), so the UI stays live
// and no worker thread is needed. In the browser an answer resumes its job from the event loop and
// starts the next job there, without waiting for a frame.
//
// The Live target (any environment but the in-process mock, as a foreign server): restbox-check's
// realistic rows against each service's base URL of the environment, its credentials as the
// fixtures, writes only when "Allow writes" is ticked, paced under the documented limits (timers
// on the model's scheduler). A cell is passed, failed with check::CheckAnswer's problems (path,
// expected, actual) or skipped with its reason; Stop ends a pacing wait at once.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contract_run.hpp"
#include "panel.hpp"

namespace restbox::console {

class ContractRunnerPanel final : public Panel {
 public:
  ContractRunnerPanel(Model& model, TestHook& hook);
  ~ContractRunnerPanel() override;
  std::string_view Title() const override { return "Contract"; }
  void Draw() override;

  // Time spent running in-process cases per frame.
  static constexpr std::chrono::milliseconds kFrameBudget{8};

 private:
  // A matrix cell: the jobs of one (service, endpoint, column).
  struct Cell {
    std::string column;  // "429", "400-INVALID_TOKEN", "200-1003"
    std::vector<std::size_t> jobs;
  };
  struct EndpointRow {
    std::string endpoint;
    std::vector<Cell> cells;  // in the service table's column order (missing = not documented)
  };
  struct ServiceTable {
    std::string service;
    std::vector<std::string> columns;
    std::vector<EndpointRow> rows;
  };

  void Start();
  // The jobs the next run will have (the matrix shows them before it starts).
  void Preview();
  void Stop();
  void Finish();
  // Paces the browser's frames for a run against a server, or gives them back (each once).
  void PaceFrames(bool paced);
  // Runs the resumptions that arrived, then starts jobs while none is under way, within the budget.
  void Pump();
  void StartJob(std::size_t index);
  // Starts jobs one after another while none is in flight, for at most kFrameBudget.
  void StartReady();
  void BuildMatrix();
  void PublishState();

  void DrawControls();
  void DrawMatrix(float height);
  void DrawDetails();

  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  int target_ = 0;     // 0 = fresh in-process mock; i + 1 = model_.environments[i]
  bool live_ = false;  // target_ > 0: restbox-check's Live run rather than restbox-mock's sweep
  bool realistic_ = true;
  bool forced_ = true;
  bool allow_writes_ = false;  // Live: also the rows that write
  std::string error_;          // why the last Run could not start ("" = it did)
  std::string live_summary_;   // Live: coverage, requests and pace of the last run

  // Shared with the job under way (its completion keeps both alive if the panel goes first).
  std::shared_ptr<ContractRun> run_;
  std::shared_ptr<contract::Loop> loop_ = std::make_shared<contract::Loop>();
  bool in_flight_ = false;  // a job started and not finished
  bool starting_ = false;   // inside StartJob: a completion now is an inline one
  bool stopping_ = false;   // Stop() pressed: no new job; Finish() once the current one ends
  bool paced_ = false;      // frames paced for a run against a server (PaceFrames)
  std::vector<ContractJob> jobs_;
  std::vector<std::optional<ContractResult>> results_;
  std::size_t next_ = 0;  // next job to start
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::size_t skipped_ = 0;  // Live: rows not sent (a missing fixture, writes not allowed...)
  bool running_ = false;
  std::string target_name_;
  std::chrono::steady_clock::time_point started_;
  double elapsed_s_ = 0;

  std::vector<ServiceTable> matrix_;
  std::string selected_service_, selected_endpoint_, selected_column_;
};

}  // namespace restbox::console
