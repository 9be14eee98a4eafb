# Bare-metal firmware work for the board on gamma: an ELF toolchain, the debug
# probe, and a 32-bit toolchain for the board's management core.
{ pkgs, inputs, ... }:
let
  embedded = import inputs.nixpkgs {
    localSystem = "x86_64-linux";
    crossSystem = {
      config = "riscv64-none-elf";
      libc = "newlib";
      gcc.arch = "rv64gc";
      gcc.abi = "ilp32d";
    };
  };
  mgmt = pkgs.pkgsCross.riscv32-embedded;
in
{
  environment.systemPackages = [
    embedded.stdenv.cc
    mgmt.stdenv.cc
    pkgs.openocd
    pkgs.picocom
  ];
}
