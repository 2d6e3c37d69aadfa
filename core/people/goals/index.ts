// Goals of employees and teams, and the goals of PIPs: the public face of this layer.
export { checkMeasure, measureWords, type Measure, type Metrics } from './measure.ts';
export { GOAL_LIFECYCLE, GOAL_ACTIONS, type GoalAction, type GoalStatus } from './lifecycle.ts';
export { actOnGoal, createGoal, getGoal, goalEvents, listGoals, type Goal, type GoalEvent, type GoalInput } from './goals.ts';
export { goalProgress, type GoalProgress, type ProgressDeps } from './progress.ts';
export { checkPipGoals, pipGoalSnapshot, withPipGoals, type PipGoalInput, type PipGoalSnapshot } from './pip.ts';
export { proposeOutcome, proposePipOutcomes, type OutcomeProposal } from './outcome.ts';
export { goalsForPacket, type PacketGoal } from './packet.ts';
