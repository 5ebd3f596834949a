// contract_sweep_tests' targets (sweep_targets.hpp): the sweep's in-process target alone.
#include "sweep_targets.hpp"

namespace restbox::contract {

const std::vector<Target>& SweepTargets() {
  static const std::vector<Target> targets{SweepInProcessTarget()};
  return targets;
}

}  // namespace restbox::contract
