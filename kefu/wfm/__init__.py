"""Workforce management: forecasting, Erlang C / Erlang A staffing, scheduling, simulation.

The modules here are pure computation (no database, no I/O besides explicit CSV/XLSX helpers).
Heavy libraries (statsmodels, OR-Tools, SimPy) are imported lazily inside the functions that
need them, so importing ``kefu.wfm.erlang`` stays light.
"""
