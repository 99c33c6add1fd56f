//! The libtorch side (feature `ner`): rust-bert's BertForTokenClassification as a [`Scorer`].

use std::path::Path;

use rust_bert::bert::{BertConfig, BertForTokenClassification};
use tch::{nn::VarStore, Device, Kind, Tensor};

use super::decode::PieceLabel;
use super::engine::{Batch, ScoreError, Scorer, Scores};
use super::error::BertError;
use super::settings::{DeviceSetting, Dtype, Heads, ModelConfig, ModelFiles};

pub struct TchScorer {
    model: BertForTokenClassification,
    pub device: Device,
    /// The precision the weights and activations are in.
    pub dtype: Dtype,
    /// A joint model's two heads (one pass gives both); None: every label is the entity head's.
    pub heads: Option<Heads>,
    _vs: VarStore,
}

/// The tch device for a setting; "cuda" fails clearly when libtorch or the machine has none.
pub fn device_of(setting: DeviceSetting) -> Result<Device, BertError> {
    match setting {
        DeviceSetting::Cpu => Ok(Device::Cpu),
        DeviceSetting::Auto => Ok(Device::cuda_if_available()),
        DeviceSetting::Cuda(n) => {
            if !tch::Cuda::is_available() {
                let why = if cfg!(quoteval_libtorch_cuda) {
                    "libtorch has CUDA but no GPU is visible"
                } else {
                    "this build links the CPU libtorch (for the CUDA one: `QUOTEVAL_TORCH=cuda \
                     scripts/setup-libtorch.sh`, then `cargo clean -p torch-sys` and rebuild)"
                };
                return Err(BertError::NoCuda { setting, why });
            }
            let count = tch::Cuda::device_count() as usize;
            if n >= count {
                return Err(BertError::NoSuchCuda { setting, count });
            }
            Ok(Device::Cuda(n))
        }
    }
}

impl TchScorer {
    pub fn load(files: &ModelFiles, device: Device, dtype: Dtype) -> Result<TchScorer, BertError> {
        let text = std::fs::read_to_string(&files.config).map_err(|source| BertError::Read {
            path: files.config.clone(),
            source,
        })?;
        let config: BertConfig = serde_json::from_str(&text).map_err(|source| BertError::Json {
            path: files.config.clone(),
            source,
        })?;
        let heads = ModelConfig::read(&files.config)?.heads;
        let mut vs = VarStore::new(device);
        let model = BertForTokenClassification::new(vs.root(), &config)?;
        load_weights(&mut vs, &files.weights)?;
        // Checkpoints load in their own precision; compute in the one asked for. rust-bert casts
        // the attention mask to the embeddings' kind, and the logits are cast back to f32
        // before the softmax (`score`), so probabilities and decoding stay f32 either way.
        match dtype {
            Dtype::Fp32 => vs.float(),
            Dtype::Bf16 => vs.bfloat16(),
        }
        vs.freeze();
        Ok(TchScorer {
            model,
            device,
            dtype,
            heads,
            _vs: vs,
        })
    }
}

fn load_weights(vs: &mut VarStore, path: &Path) -> Result<(), BertError> {
    vs.load(path).map_err(|e| match e {
        tch::TchError::TensorNameNotFound(name, _) => BertError::MissingTensor {
            path: path.to_path_buf(),
            name,
        },
        source => BertError::Weights {
            path: path.to_path_buf(),
            source,
        },
    })
}

impl Scorer for TchScorer {
    fn score(&mut self, batch: &Batch) -> Result<Scores, ScoreError> {
        let shape = [batch.rows as i64, batch.len as i64];
        let tensor = |v: &[i64]| Tensor::from_slice(v).view(shape).to_device(self.device);
        let (ids, types, mask) = (
            tensor(&batch.input_ids),
            tensor(&batch.type_ids),
            tensor(&batch.mask),
        );
        let head = |logits: &Tensor, range: &std::ops::Range<usize>| {
            logits.narrow(-1, range.start as i64, range.len() as i64)
        };
        let ((probs, labels), attributions) = tch::no_grad(|| {
            let logits = self
                .model
                .forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false)
                .logits;
            match &self.heads {
                None => (logits.softmax(-1, Kind::Float).max_dim(-1, false), None),
                Some(h) => (
                    head(&logits, &h.entities)
                        .softmax(-1, Kind::Float)
                        .max_dim(-1, false),
                    Some(head(&logits, &h.attributions).softmax(-1, Kind::Float)),
                ),
            }
        });
        let probs = Vec::<f32>::try_from(probs.flatten(0, -1).to_device(Device::Cpu))?;
        let labels = Vec::<i64>::try_from(labels.flatten(0, -1).to_device(Device::Cpu))?;
        let (attributions, width) = match (attributions, &self.heads) {
            (Some(a), Some(h)) => (
                Vec::<f32>::try_from(a.flatten(0, -1).to_device(Device::Cpu))?,
                h.attributions.len(),
            ),
            _ => (Vec::new(), 0),
        };
        Ok(Scores {
            labels: labels
                .into_iter()
                .zip(probs)
                .map(|(label, prob)| PieceLabel {
                    label: label as u32,
                    prob,
                })
                .collect(),
            attributions,
            width,
        })
    }
}
