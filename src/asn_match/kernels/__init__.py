"""Pure array kernels: Job Person Match, eligibility, merit composite, top-k and assignment."""
