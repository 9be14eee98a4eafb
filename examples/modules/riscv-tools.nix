# A RISC-V cross toolchain on every machine, so anyone can build for the
# riscv64 Linux boards from an x86_64 shell.
{ pkgs, inputs, ... }:
let
  riscv = import inputs.nixpkgs {
    localSystem = "x86_64-linux";
    crossSystem = {
      config = "riscv64-unknown-linux-gnu";
      gcc.arch = "rv64gc";
      gcc.abi = "lp64d";
    };
  };
in
{
  environment.systemPackages = [
    riscv.stdenv.cc
    riscv.buildPackages.gdb
    pkgs.qemu
    pkgs.dtc
  ];
}
